import { canSeeView, fieldsForDisplay, notFound, ViewActor } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { UnitOfWork } from '../../../infrastructure/database/unit-of-work';
import { FundraisingRepository } from '../fundraising.repository';

/** id, seq, values_json, archived, created_at, created_by, updated_at, updated_by: array rows allocate less than objects. */
type Row = [string, number, string, number, string, string, string, string];

/**
 * A record's values with its formula values merged in (json_patch leaves out empty ones, which read
 * as blank), so that clients see formula fields like any other field.
 */
export const VALUES_WITH_FORMULAS = "CASE WHEN formula_json = '{}' THEN values_json ELSE json_patch(values_json, formula_json) END";

const q = JSON.stringify;

/**
 * Reads of the grid. Big answers are assembled as JSON text from the stored JSON cells, so a
 * 100,000-record state never parses and re-serialises every value.
 */
export class GridQueries {
  private readonly active: Statement;
  private readonly all: Statement;
  private readonly page: Statement;
  private readonly views: Statement;

  constructor(private readonly repo: FundraisingRepository, private readonly uow: UnitOfWork) {
    const cols = `id, seq, ${VALUES_WITH_FORMULAS}, archived, created_at, created_by, updated_at, updated_by`;
    this.active = repo.db.prepare(`SELECT ${cols} FROM fundraising_records WHERE table_id = ? AND archived = 0 ORDER BY seq`).raw(true);
    this.all = repo.db.prepare(`SELECT ${cols} FROM fundraising_records WHERE table_id = ? ORDER BY seq`).raw(true);
    this.page = repo.db.prepare(`SELECT ${cols} FROM fundraising_records WHERE table_id = ? AND archived = ? AND seq > ? ORDER BY seq LIMIT ?`).raw(true);
    this.views = repo.db.prepare('SELECT id, table_id, name, config, updated_at, updated_by FROM fundraising_views ORDER BY rowid');
  }

  /** GET /state: the schema and every live record, at one consistent version. */
  stateJson(options: { includeArchived?: boolean; viewer?: ViewActor } = {}): string {
    return this.uow.read(() => {
      const head = this.repo.state();
      const parts: string[] = [];
      for (const t of this.repo.tables()) {
        const rows = (options.includeArchived ? this.all : this.active).all(t.id) as Row[];
        const records = rows.map((r) => recordJson(r, options.includeArchived)).join(',');
        parts.push(`{"id":${q(t.id)},"name":${q(t.name)},"role":${q(t.role)},"primary_field_id":${q(t.primary_field_id)},"fields":${q(fieldsForDisplay(t.fields))},"records":[${records}]}`);
      }
      return `{"version":${head.version},"updated_at":${q(head.updated_at)},"updated_by":${q(head.updated_by)},"tables":[${parts.join(',')}],"views":${this.viewsJson(options.viewer)}}`;
    });
  }

  /** Keyset pages in creation order; the cursor is opaque to clients. */
  recordsPageJson(tableId: string, cursor: string | undefined, limit: number, options: { archived?: boolean } = {}): string {
    return this.uow.read(() => {
      if (!this.repo.table(tableId)) throw notFound(`table ${tableId} does not exist`, { field: 'table_id', given: tableId });
      const after = cursor ? decodeCursor(cursor) : 0;
      const rows = this.page.all(tableId, options.archived ? 1 : 0, after, limit) as Row[];
      const next = rows.length === limit ? encodeCursor(rows[rows.length - 1][1]) : null;
      return `{"version":${this.repo.state().version},"records":[${rows.map((r) => recordJson(r)).join(',')}],"next_cursor":${q(next)}}`;
    });
  }

  /** Views the viewer may see: shared ones, and their own personal ones (all of them without a viewer). */
  private viewsJson(viewer?: ViewActor): string {
    const all = this.views.all() as { id: string; table_id: string; name: string; config: string; updated_at: string; updated_by: string }[];
    const rows = viewer ? all.filter((v) => !v.config.includes('"personal"') || canSeeView({ config: JSON.parse(v.config) }, viewer)) : all;
    return `[${rows.map((v) => `{"id":${q(v.id)},"table_id":${q(v.table_id)},"name":${q(v.name)},"config":${v.config},"updated_at":${q(v.updated_at)},"updated_by":${q(v.updated_by)}}`).join(',')}]`;
  }
}

function recordJson(r: Row, withArchived = false): string {
  return `{"id":${q(r[0])},"values":${r[2]},"created_at":${q(r[4])},"created_by":${q(r[5])},"updated_at":${q(r[6])},"updated_by":${q(r[7])}${withArchived ? `,"archived":${r[3] === 1}` : ''}}`;
}

const encodeCursor = (seq: number) => Buffer.from(`s${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const s = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const m = /^s(\d{1,15})$/.exec(s);
  if (!m) throw Object.assign(new Error('cursor is not one this server issued'), { status: 400 });
  return Number(m[1]);
}
