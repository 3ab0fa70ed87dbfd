import { type FieldDefinition, type RecordedEvent } from '@crm/events';
import { filterKind, isDerivedType, isLinkComputedType, type TableState } from '@crm/domain';
import { type Sqlite } from '../../../infrastructure/database/database';

const STAMP_COLUMNS: Record<string, string> = {
  created_time: 'created_at',
  last_modified_time: 'updated_at',
  created_by: 'created_by',
  last_modified_by: 'updated_by',
};
const RECORD_EVENTS = new Set([
  'RecordCreated',
  'RecordUpdated',
  'RecordArchived',
  'RecordUnarchived',
]);
/** More changes than this since the cache was filled, and it is cheaper to read the table again. */
const MAX_CATCH_UP = 20_000;

const pathOf = (fieldId: string) => `'$."${fieldId.replace(/[^A-Za-z0-9_-]/g, '')}"'`;

/**
 * The SQL that reads one field for filtering and sorting: a stamp column, or the field's value out
 * of the record's JSON. Formula errors read as empty (as they do in the browser).
 */
export function fieldExpression(field: FieldDefinition): string {
  const stamp = STAMP_COLUMNS[field.type];
  if (stamp) return stamp;
  const path = pathOf(field.id);
  if (isDerivedType(field.type))
    return `CASE json_type(formula_json, ${path}) WHEN 'object' THEN NULL ELSE json_extract(formula_json, ${path}) END`;
  return `json_extract(values_json, ${path})`;
}

/** SQLite hands JSON true/false back as 1/0 and lists as JSON text; turn them back into what the browser sees. */
function reader(field: FieldDefinition): (v: unknown) => unknown {
  const kind = filterKind(field);
  if (kind === 'boolean') return (v) => (v === 1 ? true : v === 0 ? false : v);
  if (kind === 'multi' || kind === 'link' || kind === 'user')
    return (v) => (typeof v === 'string' && v.startsWith('[') ? JSON.parse(v) : v);
  return (v) => v;
}

interface Columns {
  tableId: string;
  tableVersion: number;
  /** Log position the columns reflect. */
  position: number;
  ids: string[];
  archived: boolean[];
  index: Map<string, number>;
  /** Field id → value per row, rows in creation order (archived ones included). */
  values: Map<string, unknown[]>;
}

/**
 * The columns a view's filters and sorts read, per table, kept in memory and brought up to date from
 * the log: the records changed since are read again by id, so a view over 100,000 records costs the
 * filter and sort, not a scan of every record's JSON. A schema change of the table, or a long gap,
 * starts the columns afresh.
 */
export class ViewColumnsCache {
  private readonly tables = new Map<string, Columns>();

  constructor(
    private readonly db: Sqlite,
    private readonly readAfter: (position: number, limit: number) => RecordedEvent[],
  ) {}

  /** Values of `fields` for every record of the table, as of log position `head` (inside a read transaction). */
  columns(table: TableState, fields: FieldDefinition[], head: number): Columns {
    let c = this.tables.get(table.id);
    if (
      !c ||
      c.tableVersion !== table.version ||
      c.position > head ||
      !this.catchUp(c, table, head)
    )
      c = this.fresh(table, head);
    const missing = fields.filter((f) => !c!.values.has(f.id));
    if (missing.length) this.fill(c, table, missing);
    return c;
  }

  private fresh(table: TableState, head: number): Columns {
    const rows = this.db
      .prepare('SELECT id, archived FROM fundraising_records WHERE table_id = ? ORDER BY seq')
      .raw(true)
      .all(table.id) as [string, number][];
    const c: Columns = {
      tableId: table.id,
      tableVersion: table.version,
      position: head,
      ids: rows.map((r) => r[0]),
      archived: rows.map((r) => r[1] === 1),
      index: new Map(rows.map((r, i) => [r[0], i])),
      values: new Map(),
    };
    if (this.tables.size >= 8) this.tables.clear();
    this.tables.set(table.id, c);
    return c;
  }

  private fill(c: Columns, table: TableState, fields: FieldDefinition[]): void {
    const rows = this.db
      .prepare(
        `SELECT id, ${fields.map(fieldExpression).join(', ')} FROM fundraising_records WHERE table_id = ? ORDER BY seq`,
      )
      .raw(true)
      .all(table.id) as unknown[][];
    const cols = fields.map(() => new Array<unknown>(c.ids.length).fill(null));
    const readers = fields.map(reader);
    for (const r of rows) {
      const i = c.index.get(r[0] as string);
      if (i === undefined) continue;
      for (let k = 0; k < fields.length; k++) cols[k][i] = readers[k](r[k + 1]);
    }
    fields.forEach((f, k) => c.values.set(f.id, cols[k]));
  }

  /** Reads the records of this table changed since the columns were filled; false when starting afresh is better. */
  private catchUp(c: Columns, table: TableState, head: number): boolean {
    if (c.position === head) return true;
    const touched = new Set<string>();
    // Lookups and rollups change with records of other tables, which no event of this table names.
    const readsLinks = table.fields.some((f) => isLinkComputedType(f.type));
    let at = c.position;
    while (at < head) {
      const events = this.readAfter(at, 5_000);
      if (events.length === 0) break;
      for (const e of events) {
        const d = e.data as { table_id?: string; record_id?: string };
        if (readsLinks && RECORD_EVENTS.has(e.type) && d.table_id !== table.id) return false;
        if (RECORD_EVENTS.has(e.type) && d.table_id === table.id && d.record_id)
          touched.add(d.record_id);
      }
      at = events[events.length - 1].position;
      if (touched.size > MAX_CATCH_UP || at - c.position > MAX_CATCH_UP * 4) return false;
    }
    if (touched.size) {
      const fields = [...c.values.keys()]
        .map((id) => table.fields.find((f) => f.id === id))
        .filter((f): f is FieldDefinition => !!f);
      const cols = fields.map((f) => c.values.get(f.id)!);
      const readers = fields.map(reader);
      const rows = this.db
        .prepare(
          `SELECT id, archived${fields.map((f) => `, ${fieldExpression(f)}`).join('')} FROM fundraising_records WHERE id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
        )
        .raw(true)
        .all(JSON.stringify([...touched])) as unknown[][];
      for (const r of rows) {
        const id = r[0] as string;
        let i = c.index.get(id);
        if (i === undefined) {
          // New records come last: the log's positions (their creation order) only grow.
          i = c.ids.length;
          c.ids.push(id);
          c.archived.push(false);
          c.index.set(id, i);
          for (const col of cols) col.push(null);
        }
        c.archived[i] = r[1] === 1;
        for (let k = 0; k < fields.length; k++) cols[k][i] = readers[k](r[k + 2]);
      }
    }
    c.position = head;
    return true;
  }

  clear(): void {
    this.tables.clear();
  }
}
