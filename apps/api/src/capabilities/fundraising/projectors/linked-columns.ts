import { isDerivedType, type LinkedRecord, type RecordState, type TableState } from '@crm/domain';
import { type FundraisingRepository } from '../fundraising.repository';

/** A linked table's records as rollups read them: only the stored fields they read, and archived. */
type Columns = Map<string, LinkedRecord>;

/**
 * The fields lookups, rollups and counts read in a linked table, held in memory for the records of
 * that table, so that a fund with thousands of commitments is rolled up by reading a map, not by
 * reading and parsing thousands of rows on every edit of one of them. Loaded on first use with one
 * query, kept in step by every record the grid projector writes, dropped at each schema change.
 * Only stored values are held (formula values are written by table-wide recomputes too); a table
 * whose read fields include a derived one is read from the rows as before.
 */
export class LinkedColumns {
  private readonly tables = new Map<string, { fields: string[]; columns: Columns | null }>();
  private planned = false;
  /** Off while a rebuild holds records in memory that the rows do not have yet. */
  enabled = true;

  constructor(
    private readonly repo: FundraisingRepository,
    /** The fields of each linked table that computed link fields read (by linked table). */
    private readonly readFields: () => Map<string, Set<string>>,
  ) {}

  /** The records with these ids from memory, or undefined when the table is not held. */
  records(ids: readonly string[], tableId: string): LinkedRecord[] | undefined {
    const columns = this.columnsOf(tableId);
    if (!columns) return undefined;
    const out: LinkedRecord[] = [];
    for (const id of ids) {
      const r = columns.get(id);
      if (r) out.push(r);
    }
    return out;
  }

  /** A record was written: its held copy follows (also while a new plan is pending). */
  note(r: RecordState): void {
    const held = this.tables.get(r.table_id);
    if (!held?.columns) return;
    held.columns.set(r.id, entry(r.id, r.table_id, r.archived, held.fields, r.values));
  }

  reset(): void {
    this.tables.clear();
    this.planned = false;
  }

  /**
   * The schema of `tableId` changed: what is read where is planned again, and a table held with the
   * same fields keeps its records (a rollup added to the investors does not read the 300,000
   * commitments again). The changed table's own records are read again (a retype changes values).
   */
  replan(tableId: string): void {
    this.tables.delete(tableId);
    this.planned = false;
  }

  private columnsOf(tableId: string): Columns | undefined {
    if (!this.enabled) return undefined;
    if (!this.planned) this.plan();
    const held = this.tables.get(tableId);
    if (!held) return undefined;
    held.columns ??= this.load(tableId, held.fields);
    return held.columns;
  }

  private plan(): void {
    this.planned = true;
    const before = new Map(this.tables);
    this.tables.clear();
    for (const [tableId, fields] of this.readFields()) {
      const table = this.repo.table(tableId);
      if (!table || !storedOnly(table, fields)) continue;
      const kept = before.get(tableId);
      const same =
        kept && kept.fields.length === fields.size && kept.fields.every((f) => fields.has(f));
      this.tables.set(tableId, same ? kept : { fields: [...fields], columns: null });
    }
  }

  private load(tableId: string, fields: string[]): Columns {
    const columns: Columns = new Map();
    // `->` gives each value as JSON text, so a list, a number and a text read back as they were.
    const picks = fields.map((_, i) => `values_json -> ? AS f${i}`).join(', ');
    const rows = this.repo.db
      .prepare(
        `SELECT id, archived${picks ? `, ${picks}` : ''} FROM fundraising_records WHERE table_id = ?`,
      )
      .raw()
      .all(...fields.map((f) => `$."${f}"`), tableId) as unknown[][];
    for (const row of rows) {
      const values: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        const v = row[i + 2];
        const parsed: unknown = typeof v === 'string' ? JSON.parse(v) : null;
        if (parsed !== null) values[f] = parsed;
      });
      const id = String(row[0]);
      columns.set(id, { id, table_id: tableId, values, archived: row[1] === 1 });
    }
    return columns;
  }
}

function entry(
  id: string,
  tableId: string,
  archived: boolean,
  fields: string[],
  all: Record<string, unknown>,
): LinkedRecord {
  const values: Record<string, unknown> = {};
  for (const f of fields) if (all[f] !== undefined && all[f] !== null) values[f] = all[f];
  return { id, table_id: tableId, values, archived };
}

/** Whether every field read is a stored one (not derived, not a record stamp). */
function storedOnly(table: TableState, fields: Set<string>): boolean {
  for (const id of fields) {
    const f = table.fields.find((x) => x.id === id);
    if (!f || isDerivedType(f.type) || /^(created|last_modified)_/.test(f.type)) return false;
  }
  return true;
}
