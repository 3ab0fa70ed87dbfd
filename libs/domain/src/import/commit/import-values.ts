import { type CellValue, type FieldDefinition, type ImportProvenance } from '@crm/events';
import { type DecideContext } from '../../base/decide-context';
import { DomainError, invalid, notFound } from '../../errors';
import { type TableState } from '../../table/table.state';
import { normalizeCell } from '../../values/normalize';
import { type CommitImport } from '../decide-import';

/** Checks the values of an import's rows as a grid edit would, each error naming the file line. */
export class ImportValues {
  private readonly fields: Map<string, FieldDefinition>;
  /** The records this import makes, by table: built on the first link to check (most imports have none). */
  private createdIn: Map<string, string> | null = null;
  private readonly liveIn = new Map<string, string | null>();

  constructor(
    private readonly cmd: CommitImport,
    private readonly ctx: DecideContext,
    readonly table: TableState,
  ) {
    this.fields = new Map(table.fields.map((f) => [f.id, f]));
  }

  provenance(line: number): ImportProvenance {
    return { import_id: this.cmd.import_id, file_name: this.cmd.file_name, line };
  }

  fieldAt(fieldId: string, line: number): FieldDefinition {
    const field = this.fields.get(fieldId);
    if (!field)
      throw notFound(
        `line ${line}: field ${fieldId} does not exist in table "${this.table.name}"`,
        { field: 'field_id', given: fieldId, line },
      );
    return field;
  }

  /** Called for every cell of the file: returns the value alone, with no wrapper object per cell. */
  valueAt(field: FieldDefinition, raw: unknown, line: number): CellValue {
    try {
      return normalizeCell(field, raw);
    } catch (e) {
      if (e instanceof DomainError)
        throw new DomainError(
          e.code,
          `line ${line}: ${e.message}`,
          { ...e.details, line },
          e.reason,
        );
      throw e;
    }
  }

  /** A link may name a live record of its linked table, or one this import creates there. */
  checkLinks(field: FieldDefinition, value: CellValue, line: number): void {
    if (field.type !== 'link' || !Array.isArray(value)) return;
    for (const id of value as string[]) {
      if (this.tableOfRecord(id) !== field.options.table_id) {
        throw invalid(
          `line ${line}: field "${field.name}" links to ${id}, which is not a record of its linked table`,
          { field: field.id, line, given: id },
        );
      }
    }
  }

  private tableOfRecord(id: string): string | null {
    const made = this.madeHere().get(id);
    if (made) return made;
    let known = this.liveIn.get(id);
    if (known === undefined) {
      const r = this.ctx.record(id);
      known = r && !r.archived ? r.table_id : null;
      this.liveIn.set(id, known);
    }
    return known;
  }

  private madeHere(): Map<string, string> {
    if (this.createdIn) return this.createdIn;
    const createdIn = new Map(this.cmd.link_creates.map((lc) => [lc.record_id, lc.table_id]));
    for (const c of this.cmd.creates) createdIn.set(c.record_id, this.table.id);
    this.createdIn = createdIn;
    return createdIn;
  }
}
