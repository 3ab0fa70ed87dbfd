import { type FieldDefinition, type RecordedEvent } from '@crm/events';
import {
  isListCondition,
  applyView,
  ordersByLists,
  fieldsReadByView,
  readerDay,
  invalid,
  type KanbanSettings,
  type RowAccess,
  sortByRank,
  summedFields,
  type ViewGroup,
  viewGroups,
  type ViewSort,
  type TableState,
  type ViewState,
} from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type UnitOfWork } from '../../../infrastructure/database/unit-of-work';
import { type FundraisingRepository } from '../fundraising.repository';
import { VALUES_WITH_FORMULAS } from './grid.queries';
import { fieldExpression, ViewColumnsCache } from './view-columns.cache';

const q = JSON.stringify;

interface Ordered {
  key: string;
  ids: string[];
  /** The group headers of a grouped view (a board's columns), or null. */
  groups: ViewGroup[] | null;
}

/** A board is grouped by its field, choices in order; a grid by its group_by levels. */
function groupLevels(view: ViewState): ViewSort[] {
  const kanban = view.config.kanban as KanbanSettings | undefined;
  if (view.config.type === 'kanban' && kanban)
    return [{ field_id: kanban.field_id, direction: 'asc' }];
  return (view.config.group_by as ViewSort[] | undefined) ?? [];
}

/**
 * GET /views/:id/records: the view's filters and sorts applied on the server with the same domain
 * code the grid runs in the browser. Only the fields the view reads are pulled out of SQLite (and
 * kept, up to date with the log, in ViewColumnsCache) to order the ids; the page's records are then
 * read whole. The ordered ids are cached per view version, log position and day, so paging through
 * a big view computes it once.
 */
const NO_LISTS: ReadonlySet<string> = new Set();

/** Whether a filter group holds a condition on lists, at any depth. */
function hasListCondition(group: unknown): boolean {
  const g = group as { conditions?: unknown[] } | null | undefined;
  return (g?.conditions ?? []).some((c) =>
    (c as { conditions?: unknown }).conditions !== undefined
      ? hasListCondition(c)
      : isListCondition(c as { field_id: string; operator: string }),
  );
}

export class ViewRecordsQuery {
  private readonly page: Statement;
  private readonly cache: Ordered[] = [];
  /** A board's page statement per set of card fields (cards carry only the values they show). */
  private readonly cardPages = new Map<string, Statement>();

  private readonly columns: ViewColumnsCache;

  constructor(
    private readonly repo: FundraisingRepository,
    private readonly uow: UnitOfWork,
    readAfter: (position: number, limit: number) => RecordedEvent[],
  ) {
    this.columns = new ViewColumnsCache(repo.db, readAfter);
    this.page = repo.db
      .prepare(
        `SELECT r.id, ${VALUES_WITH_FORMULAS.replace(/formula_json|values_json/g, (c) => `r.${c}`)}, r.created_at, r.created_by, r.updated_at, r.updated_by
      FROM json_each(?) AS ids JOIN fundraising_records AS r ON r.id = ids.value ORDER BY ids.key`,
      )
      .raw(true);
  }

  /** The view's records in order, as ids (exposed for tests and exports); `me` is the reader. */
  orderedIds(
    view: ViewState,
    table: TableState,
    now: number,
    me?: string,
    timeZone?: string | null,
  ): string[] {
    return this.ordered(view, table, now, me, timeZone).ids;
  }

  /**
   * The ordered ids and, for a grouped view or a board, its groups; `me` is the reader, whose dates
   * are read in `timeZone` (UTC without one).
   */
  ordered(
    view: ViewState,
    table: TableState,
    now: number,
    me?: string,
    timeZone?: string | null,
  ): Ordered {
    const version = this.repo.state().version;
    const levels = groupLevels(view);
    // List moves are not record changes: a view filtering, sorting or grouping on lists is keyed
    // by the log's head as well.
    const onLists =
      hasListCondition(view.config.filters) ||
      ordersByLists(levels) ||
      ordersByLists(view.config.sorts as ViewSort[] | undefined);
    const head = onLists ? this.headAt() : 0;
    // Relative dates move with the reader's day, in the reader's zone.
    const day = readerDay(now, timeZone);
    const key = `${view.id}:${view.version}:${table.version}:${version}:${head}:${day}:${timeZone ?? ''}:${me ?? ''}`;
    const hit = this.cache.find((c) => c.key === key);
    if (hit) return hit;
    const config = { filters: view.config.filters, sorts: view.config.sorts, group_by: levels };
    const read = new Set(fieldsReadByView(config));
    if (levels.length) for (const f of summedFields(table.fields)) read.add(f.id);
    const fields = table.fields.filter((f) => read.has(f.id));
    const cols = this.columns.columns(table, fields, version);
    // Rows are positions in the cached columns; the accessor reads a column at a position.
    const rows: number[] = [];
    for (let i = 0; i < cols.ids.length; i++) if (!cols.archived[i]) rows.push(i);
    const access: RowAccess<number> = {
      id: (i) => cols.ids[i],
      value: (i, field) => cols.values.get(field.id)?.[i] ?? null,
    };
    const names = this.linkNames(fields);
    const lists = onLists ? this.listsByRecord() : null;
    const ctx = {
      now,
      timeZone,
      me,
      personName: (id: string) => this.repo.member(id)?.name,
      recordName: names ? (id: string) => names.get(id) : undefined,
      listsOf: lists ? (id: string) => lists.get(id) ?? NO_LISTS : undefined,
    };
    const rowsInOrder = applyView(rows, table.fields, config, access, ctx);
    const groups = levels.length
      ? viewGroups(rowsInOrder, table.fields, levels, access, ctx)
      : null;
    let ids = rowsInOrder.map((i) => cols.ids[i]);
    const ranks = (view.config.kanban as KanbanSettings | undefined)?.ranks;
    if (view.config.type === 'kanban' && groups && ranks)
      ids = groups.flatMap((g) => sortByRank(ids.slice(g.start, g.start + g.count), ranks));
    const out = { key, ids, groups };
    this.cache.unshift(out);
    this.cache.length = Math.min(this.cache.length, 16);
    return out;
  }

  /** The other cards of a record's column on a board as `me` sees it, in order (to place the record among them). */
  cardColumn(
    view: ViewState,
    table: TableState,
    recordId: string,
    now: number,
    me?: string,
    timeZone?: string | null,
  ): string[] {
    const { ids, groups } = this.ordered(view, table, now, me, timeZone);
    const at = ids.indexOf(recordId);
    const column =
      at < 0 ? undefined : groups?.find((g) => at >= g.start && at < g.start + g.count);
    if (!column)
      throw invalid(`record ${recordId} is not a card of this board`, {
        field: 'record_id',
        reason: 'not_on_board',
        given: recordId,
      });
    return ids.slice(column.start, column.start + column.count).filter((id) => id !== recordId);
  }

  /** Primary names of records in the tables the view's link fields point to (for `contains` and sorting). */
  private headAt(): number {
    return this.repo.db
      .prepare('SELECT COALESCE(MAX(position), 0) FROM events')
      .pluck()
      .get() as number;
  }

  /** Every record's lists (the memberships' read model), for a view filtering on them. */
  private listsByRecord(): Map<string, Set<string>> {
    const rows = this.repo.db
      .prepare('SELECT record_id, list FROM fundraising_memberships')
      .all() as { record_id: string; list: string }[];
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      let set = out.get(r.record_id);
      if (!set) out.set(r.record_id, (set = new Set()));
      set.add(r.list);
    }
    return out;
  }

  private linkNames(fields: FieldDefinition[]): Map<string, string> | null {
    const targets = [
      ...new Set(fields.filter((f) => f.type === 'link').map((f) => String(f.options.table_id))),
    ];
    if (targets.length === 0) return null;
    const names = new Map<string, string>();
    for (const tableId of targets) {
      const t = this.repo.table(tableId);
      if (!t) continue;
      const rows = this.repo.db
        .prepare(
          `SELECT id, ${fieldExpression(t.fields.find((f) => f.id === t.primary_field_id)!)} FROM fundraising_records WHERE table_id = ?`,
        )
        .raw(true)
        .all(tableId) as [string, unknown][];
      for (const [id, name] of rows)
        names.set(id, name === null || name === undefined ? '' : String(name));
    }
    return names;
  }

  /**
   * The statement that reads a page: whole records for a grid; for a board, the values its cards
   * show (primary field, column field, card fields), which keeps 10,000 cards a small answer.
   */
  private pageStatement(view: ViewState, table: TableState): Statement {
    const kanban = view.config.kanban as KanbanSettings | undefined;
    if (view.config.type !== 'kanban' || !kanban) return this.page;
    const ids = [table.primary_field_id, kanban.field_id, ...kanban.card_fields];
    const shown = table.fields.filter((f) => ids.includes(f.id));
    const key = `${table.id}:${table.version}:${shown.map((f) => f.id).join(',')}`;
    let stmt = this.cardPages.get(key);
    if (!stmt) {
      if (this.cardPages.size >= 16) this.cardPages.clear();
      stmt = this.repo.db
        .prepare(
          `SELECT r.id, ${cardValuesExpression(shown)}, r.created_at, r.created_by, r.updated_at, r.updated_by
          FROM json_each(?) AS ids JOIN fundraising_records AS r ON r.id = ids.value ORDER BY ids.key`,
        )
        .raw(true);
      this.cardPages.set(key, stmt);
    }
    return stmt;
  }

  pageJson(
    view: ViewState,
    table: TableState,
    cursor: string | undefined,
    limit: number,
    now: number,
    me?: string,
    timeZone?: string | null,
  ): string {
    return this.uow.read(() => {
      const { ids, groups } = this.ordered(view, table, now, me, timeZone);
      const offset = cursor ? decodeCursor(cursor) : 0;
      const slice = ids.slice(offset, offset + limit);
      const rows = slice.length
        ? (this.pageStatement(view, table).all(q(slice)) as [
            string,
            string,
            string,
            string,
            string,
            string,
          ][])
        : [];
      const next = offset + limit < ids.length ? encodeCursor(offset + limit) : null;
      const records = rows
        .map(
          (r) =>
            `{"id":${q(r[0])},"values":${r[1]},"created_at":${q(r[2])},"created_by":${q(r[3])},"updated_at":${q(r[4])},"updated_by":${q(r[5])}}`,
        )
        .join(',');
      const grouped = groups ? `,"groups":${q(groups)}` : '';
      return `{"version":${this.repo.state().version},"view_id":${q(view.id)},"total":${ids.length}${grouped},"records":[${records}],"next_cursor":${q(next)}}`;
    });
  }
}

/** JSON of the given fields' values (formula values from their own column); stamps come with the record. */
function cardValuesExpression(fields: FieldDefinition[]): string {
  const pairs = fields
    .filter((f) => !STAMP_TYPES.has(f.type))
    .map((f) => {
      const id = f.id.replace(/[^A-Za-z0-9_-]/g, '');
      const column = f.type === 'formula' ? 'r.formula_json' : 'r.values_json';
      return `'${id}', json(${column} -> '$."${id}"')`;
    });
  return pairs.length ? `json_object(${pairs.join(', ')})` : `'{}'`;
}

const STAMP_TYPES = new Set([
  'created_time',
  'last_modified_time',
  'created_by',
  'last_modified_by',
]);

export const encodeCursor = (offset: number) => Buffer.from(`o${offset}`).toString('base64url');

export function decodeCursor(cursor: string): number {
  const s = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const m = /^o(\d{1,9})$/.exec(s);
  if (!m) throw invalid('cursor is not one this server issued', { field: 'cursor', given: cursor });
  return Number(m[1]);
}
