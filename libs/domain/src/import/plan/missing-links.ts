import { type ImportPlan, type PlannedLinkCreate } from '../plan-import.types';
import { type PlanRows, rowError } from './plan-rows';

/**
 * The names of linked records that match no record, by column, with the line each first appears
 * on; with `create_missing_links`, one planned record per table and trimmed name (`new:<n>`).
 */
export class MissingLinks {
  readonly link_creates: PlannedLinkCreate[] = [];
  private readonly refs = new Map<string, string>();
  private readonly unmatched = new Map<number, Map<string, number>>();

  constructor(private readonly rows: PlanRows) {}

  /** The ref standing for the record the name will create, or null (and a row error) when none is created. */
  refFor(tableId: string, tableName: string, j: number, r: number, name: string): string | null {
    const { rows } = this;
    let names = this.unmatched.get(j);
    if (!names) this.unmatched.set(j, (names = new Map()));
    if (!names.has(name)) names.set(name, rows.input.rows[r].line);
    if (!rows.input.options.create_missing_links) {
      rowError(rows, r, rows.mapped[j].name, `no record in ${tableName} is named “${name}”`);
      return null;
    }
    const key = `${tableId}\u0000${name.trim()}`;
    let ref = this.refs.get(key);
    if (!ref) {
      ref = `new:${this.link_creates.length + 1}`;
      this.refs.set(key, ref);
      this.link_creates.push({
        ref,
        table_id: tableId,
        name: name.trim(),
        line: rows.input.rows[r].line,
        column: rows.mapped[j].name,
      });
    }
    return ref;
  }

  unmatchedLinks(): ImportPlan['unmatched_links'] {
    return [...this.unmatched.entries()].map(([j, names]) => ({
      column: this.rows.mapped[j].name,
      field_id: this.rows.mapped[j].field.id,
      table_id: String(this.rows.mapped[j].field.options.table_id),
      names: [...names.keys()],
    }));
  }
}
