import { FieldDefinition } from '@crm/events';
import { applyView, fieldsReadByView, filterKind, invalid, TableState, ViewRecord, ViewState, recordAccess } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work';
import { FundraisingRepository } from '../fundraising.repository';
import { VALUES_WITH_FORMULAS } from './grid.queries';

const q = JSON.stringify;
const STAMP_COLUMNS: Record<string, string> = { created_time: 'created_at', last_modified_time: 'updated_at', created_by: 'created_by', last_modified_by: 'updated_by' };
const pathOf = (fieldId: string) => `'$."${fieldId.replace(/[^A-Za-z0-9_-]/g, '')}"'`;

/**
 * The SQL that reads one field for filtering and sorting: a stamp column, or the field's value out
 * of the record's JSON. Formula errors read as empty (as they do in the browser).
 */
function fieldExpression(field: FieldDefinition): string {
  const stamp = STAMP_COLUMNS[field.type];
  if (stamp) return stamp;
  const path = pathOf(field.id);
  if (field.type === 'formula') return `CASE json_type(formula_json, ${path}) WHEN 'object' THEN NULL ELSE json_extract(formula_json, ${path}) END`;
  return `json_extract(values_json, ${path})`;
}

/** SQLite hands JSON true/false back as 1/0 and lists as JSON text; turn them back into what the browser sees. */
function reader(field: FieldDefinition): (v: unknown) => unknown {
  const kind = filterKind(field);
  if (kind === 'boolean') return (v) => (v === 1 ? true : v === 0 ? false : v);
  if (kind === 'multi' || kind === 'link') return (v) => (typeof v === 'string' && v.startsWith('[') ? JSON.parse(v) : v);
  return (v) => v;
}

interface Ordered {
  key: string;
  ids: string[];
}

/**
 * GET /views/:id/records: the view's filters and sorts applied on the server with the same domain
 * code the grid runs in the browser. Only the fields the view reads are pulled out of SQLite to
 * order the ids; the page's records are then read whole. The ordered ids are cached per view
 * version, log position and day, so paging through a big view computes it once.
 */
export class ViewRecordsQuery {
  private readonly page: Statement;
  private readonly cache: Ordered[] = [];

  constructor(private readonly repo: FundraisingRepository, private readonly uow: UnitOfWork) {
    this.page = repo.db.prepare(`SELECT r.id, ${VALUES_WITH_FORMULAS.replace(/formula_json|values_json/g, (c) => `r.${c}`)}, r.created_at, r.created_by, r.updated_at, r.updated_by
      FROM json_each(?) AS ids JOIN fundraising_records AS r ON r.id = ids.value ORDER BY ids.key`).raw(true);
  }

  /** The view's records in order, as ids (exposed for tests and exports). */
  orderedIds(view: ViewState, table: TableState, now: number): string[] {
    const version = this.repo.state().version;
    const key = `${view.id}:${view.version}:${table.version}:${version}:${Math.floor(now / 86_400_000)}`;
    const hit = this.cache.find((c) => c.key === key);
    if (hit) return hit.ids;
    const fields = fieldsReadByView(view.config).map((id) => table.fields.find((f) => f.id === id)).filter((f): f is FieldDefinition => !!f);
    const cols = ['id', ...fields.map(fieldExpression)].join(', ');
    const rows = this.repo.db.prepare(`SELECT ${cols} FROM fundraising_records WHERE table_id = ? AND archived = 0 ORDER BY seq`).raw(true).all(table.id) as unknown[][];
    const readers = fields.map(reader);
    const records: ViewRecord[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const values: Record<string, unknown> = {};
      const rec: ViewRecord = { id: r[0] as string, values };
      for (let k = 0; k < fields.length; k++) {
        const stamp = STAMP_COLUMNS[fields[k].type];
        if (stamp) (rec as unknown as Record<string, unknown>)[stamp] = r[k + 1];
        else values[fields[k].id] = readers[k](r[k + 1]);
      }
      records[i] = rec;
    }
    const names = this.linkNames(fields);
    const ids = applyView(records, table.fields, view.config, recordAccess, { now, recordName: names ? (id) => names.get(id) : undefined }).map((r) => r.id);
    this.cache.unshift({ key, ids });
    this.cache.length = Math.min(this.cache.length, 16);
    return ids;
  }

  /** Primary names of records in the tables the view's link fields point to (for `contains` and sorting). */
  private linkNames(fields: FieldDefinition[]): Map<string, string> | null {
    const targets = [...new Set(fields.filter((f) => f.type === 'link').map((f) => String(f.options.table_id)))];
    if (targets.length === 0) return null;
    const names = new Map<string, string>();
    for (const tableId of targets) {
      const t = this.repo.table(tableId);
      if (!t) continue;
      const rows = this.repo.db.prepare(`SELECT id, ${fieldExpression(t.fields.find((f) => f.id === t.primary_field_id)!)} FROM fundraising_records WHERE table_id = ?`).raw(true).all(tableId) as [string, unknown][];
      for (const [id, name] of rows) names.set(id, name === null || name === undefined ? '' : String(name));
    }
    return names;
  }

  pageJson(view: ViewState, table: TableState, cursor: string | undefined, limit: number, now: number): string {
    return this.uow.read(() => {
      const ids = this.orderedIds(view, table, now);
      const offset = cursor ? decodeCursor(cursor) : 0;
      const slice = ids.slice(offset, offset + limit);
      const rows = slice.length ? (this.page.all(q(slice)) as [string, string, string, string, string, string][]) : [];
      const next = offset + limit < ids.length ? encodeCursor(offset + limit) : null;
      const records = rows.map((r) => `{"id":${q(r[0])},"values":${r[1]},"created_at":${q(r[2])},"created_by":${q(r[3])},"updated_at":${q(r[4])},"updated_by":${q(r[5])}}`).join(',');
      return `{"version":${this.repo.state().version},"view_id":${q(view.id)},"total":${ids.length},"records":[${records}],"next_cursor":${q(next)}}`;
    });
  }
}

const encodeCursor = (offset: number) => Buffer.from(`o${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const s = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const m = /^o(\d{1,9})$/.exec(s);
  if (!m) throw invalid('cursor is not one this server issued', { field: 'cursor', given: cursor });
  return Number(m[1]);
}
