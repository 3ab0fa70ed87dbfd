import { type FieldDefinition } from '@crm/events';
import { applyView } from '../filter/apply-view';
import { type KanbanSettings, type ViewSort } from '../filter/view-config';
import { type ViewGroup, viewGroups } from '../filter/view-groups';
import { type RowAccess, type ViewRecord } from '../filter/view-rows';
import { LISTS_FIELD, orderedLists } from '../filter/list-order';
import { LISTS_FIELD_ID } from '../filter/view-config';
import { FormulaGraph } from '../formula/dependency-graph';
import { listsValue } from '../formula/lists-ref';
import { type LinkContext, type LinkedRecord } from '../formula/link-field';
import { computeAllFormulas } from '../formula/record-formulas';
import { isStoredError } from '../formula/stored-values';
import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { type TeamDirectory } from '../values/user-value';
import { TABLE_ROLES } from '../fundraising/default-base';
import { sortByRank } from './kanban-rank';
import { type ViewState } from './view.state';

/** The base at some moment, as a replay of the log gives it (records in creation order). */
export interface BaseAt {
  tables: ReadonlyMap<string, TableState>;
  records: ReadonlyMap<string, RecordState>;
  views: ReadonlyMap<string, ViewState>;
  /**
   * One table's records in creation order, when the base can give them without building the
   * others' (a base read from a snapshot builds a record when it is first read).
   */
  recordsOf?(tableId: string): Iterable<RecordState>;
}

export interface ViewAtOptions {
  /** The moment itself: what NOW() and TODAY() and the relative date filters read. */
  now: number;
  /** The reader, for `{ me: true }` conditions. */
  me?: string;
  /** People's names, for formulas and sorting people fields. */
  team?: TeamDirectory;
  /**
   * Each record's lists at that moment (from the log's list moves up to it): list conditions,
   * sorts and groups read them, `{Lists}` formulas too, and an investor's row carries them under
   * `lists`. Without it every record is in no list.
   */
  listsOf?: (recordId: string) => ReadonlySet<string>;
  /** The reader's time zone, for "today" and the relative date filters (UTC without one). */
  timeZone?: string | null;
  /**
   * Only these rows of the view's order are given whole, with their derived values (all without
   * one). Filters, sorts and groups still read every record.
   */
  page?: { offset: number; limit: number };
}

/** A view's rows at a moment, in its order, each with its values and its formula values. */
export interface ViewRowsAt {
  table: TableState;
  /** The rows of the page asked for (all rows without one). */
  records: ViewRecord[];
  /** How many rows the view has. */
  total: number;
  groups: ViewGroup[] | null;
}

const STAMPS: Record<string, keyof RecordState> = {
  created_time: 'created_at',
  last_modified_time: 'updated_at',
  created_by: 'created_by',
  last_modified_by: 'updated_by',
};

/**
 * Formula, lookup, rollup and count values of records of a replayed base, computed when first read
 * (a replay of the log leaves them out: they are derived, never events). Each is evaluated at the
 * moment asked for, so NOW() reads that moment.
 */
export class DerivedAt {
  private readonly done = new Map<string, Record<string, unknown>>();
  private readonly asLinked = new Map<string, LinkedRecord>();
  private readonly busy = new Set<string>();
  private readonly links: LinkContext;
  /** Each table's formula graph, with the table version it was built for. */
  private readonly graphs = new Map<string, { version: number; graph: FormulaGraph }>();

  /** @param listsOf the records' lists then, for `{Lists}`; formulas reading it see no list without it. */
  constructor(
    private readonly base: BaseAt,
    private now: number,
    private readonly team?: TeamDirectory,
    private readonly listsOf?: (recordId: string) => ReadonlySet<string>,
  ) {
    this.links = {
      fieldsOf: (id) => base.tables.get(id)?.fields,
      primaryFieldOf: (id) => base.tables.get(id)?.primary_field_id,
      records: (ids, tableId) => {
        const out: LinkedRecord[] = [];
        for (const id of ids) {
          const r = this.linked(id);
          if (r && r.table_id === tableId) out.push(r);
        }
        return out;
      },
    };
  }

  /**
   * Forgets the values computed so far, to read a base that a replay has moved on (a backtest's
   * next step) at `now`; the formula graphs stay while their table's version does.
   */
  moveTo(now: number): void {
    this.now = now;
    this.done.clear();
    this.asLinked.clear();
  }

  /**
   * A record as the records linking to it read it, built once for all of them (a fund is read
   * through each of its thousands of commitments). Its derived values are computed when first read:
   * a commitment's rollup of its fund's currency reads no rollup of the fund's own 60,000
   * commitments.
   */
  private linked(id: string): LinkedRecord | undefined {
    const hit = this.asLinked.get(id);
    if (hit) return hit;
    const r = this.base.records.get(id);
    if (!r) return undefined;
    const linked = new LinkedAt(r, this);
    this.asLinked.set(id, linked);
    return linked;
  }

  /** The record's derived values by field id (errors as `{ error }`, blanks left out). */
  of(record: RecordState): Record<string, unknown> {
    const hit = this.done.get(record.id);
    if (hit) return hit;
    const table = this.base.tables.get(record.table_id);
    // A lookup of a lookup that leads back here reads this record's values as not yet computed.
    if (!table || this.busy.has(record.id)) return {};
    const graph = this.graphOf(table);
    if (graph.isEmpty) return {};
    this.busy.add(record.id);
    try {
      const lists = listsValue(this.listsOf?.(record.id) ?? []);
      const computed = computeAllFormulas(
        graph,
        {
          ...record,
          values: { ...record.values, [LISTS_FIELD_ID]: lists },
          computed: undefined,
          team: this.team,
        },
        this.now,
      );
      this.done.set(record.id, computed);
      return computed;
    } finally {
      this.busy.delete(record.id);
    }
  }

  private graphOf(table: TableState): FormulaGraph {
    let hit = this.graphs.get(table.id);
    if (!hit || hit.version !== table.version) {
      hit = {
        version: table.version,
        graph: FormulaGraph.of(table.fields, this.links, { lists: true }),
      };
      this.graphs.set(table.id, hit);
    }
    return hit.graph;
  }
}

/**
 * A record as a record linking to it reads it: its stored values and stamps, and its derived
 * values computed when first read (DerivedAt keeps them). A class, not a copy with a getter: built
 * for every commitment an investor's rollups read, the getter's copy cost ten times as much.
 */
class LinkedAt implements LinkedRecord {
  readonly id: string;
  readonly table_id: string;
  readonly values: Record<string, unknown>;
  readonly archived: boolean;
  readonly created_at: string;
  readonly created_by: string;
  readonly updated_at: string;
  readonly updated_by: string;

  constructor(
    private readonly record: RecordState,
    private readonly derived: DerivedAt,
  ) {
    this.id = record.id;
    this.table_id = record.table_id;
    this.values = record.values;
    this.archived = record.archived;
    this.created_at = record.created_at;
    this.created_by = record.created_by;
    this.updated_at = record.updated_at;
    this.updated_by = record.updated_by;
  }

  get computed(): Record<string, unknown> {
    return this.derived.of(this.record);
  }
}

/** A grid is grouped by its group_by levels, a board by its column field. */
function groupLevels(view: ViewState): ViewSort[] {
  const kanban = view.config.kanban as KanbanSettings | undefined;
  if (view.config.type === 'kanban' && kanban)
    return [{ field_id: kanban.field_id, direction: 'asc' }];
  return (view.config.group_by as ViewSort[] | undefined) ?? [];
}

/** How a row of a replayed base reads a field: stamps from the record, derived values computed (errors read as empty). */
function accessOf(derived: DerivedAt): RowAccess<RecordState> {
  return {
    // The record's id: list conditions, sorts and groups read the record's lists by it.
    id: (r) => r.id,
    value(r, field: FieldDefinition) {
      const stamp = STAMPS[field.type];
      if (stamp) return r[stamp] ?? null;
      if (field.type in DERIVED) {
        const v = derived.of(r)[field.id];
        return v === undefined || isStoredError(v) ? null : v;
      }
      return r.values[field.id];
    },
  };
}
const DERIVED: Record<string, true> = { formula: true, lookup: true, rollup: true, count: true };

/**
 * A view evaluated over the base at a moment: its filters, sorts, groups and a board's card order,
 * over the table's schema then, by the same code the live view and the grid run.
 */
export function viewAt(base: BaseAt, view: ViewState, opts: ViewAtOptions): ViewRowsAt | null {
  const table = base.tables.get(view.table_id);
  if (!table) return null;
  const derived = new DerivedAt(base, opts.now, opts.team, opts.listsOf);
  const access = accessOf(derived);
  const rows: RecordState[] = [];
  for (const r of base.recordsOf?.(table.id) ?? base.records.values())
    if (r.table_id === table.id && !r.archived) rows.push(r);
  const levels = groupLevels(view);
  const config = { filters: view.config.filters, sorts: view.config.sorts, group_by: levels };
  const ctx = {
    now: opts.now,
    me: opts.me,
    timeZone: opts.timeZone ?? null,
    personName: (id: string) => opts.team?.(id)?.name,
    recordName: (id: string) => primaryName(base, id),
    listsOf: opts.listsOf,
  };
  const ordered = applyView(rows, table.fields, config, access, ctx);
  const groups = levels.length ? viewGroups(ordered, table.fields, levels, access, ctx) : null;
  let inOrder = ordered;
  const ranks = (view.config.kanban as KanbanSettings | undefined)?.ranks;
  if (view.config.type === 'kanban' && groups && ranks) {
    const byId = new Map(ordered.map((r) => [r.id, r]));
    const ids = ordered.map((r) => r.id);
    inOrder = groups.flatMap((g) =>
      sortByRank(ids.slice(g.start, g.start + g.count), ranks).map((id) => byId.get(id)!),
    );
  }
  const listsOf = table.role === TABLE_ROLES.investors ? opts.listsOf : undefined;
  const page = opts.page
    ? inOrder.slice(opts.page.offset, opts.page.offset + opts.page.limit)
    : inOrder;
  const records = page.map((r) => viewRecordOf(r, derived));
  if (listsOf)
    for (const r of records) r.values = { ...r.values, lists: orderedLists(listsOf(r.id)) };
  return {
    table: listsOf ? { ...table, fields: [...table.fields, LISTS_FIELD] } : table,
    groups,
    records,
    total: inOrder.length,
  };
}

/** A record as the API sends it: its values with its derived values over them. */
export function viewRecordOf(r: RecordState, derived: DerivedAt): ViewRecord {
  const computed = derived.of(r);
  return {
    id: r.id,
    values: Object.keys(computed).length ? { ...r.values, ...computed } : r.values,
    created_at: r.created_at,
    created_by: r.created_by,
    updated_at: r.updated_at,
    updated_by: r.updated_by,
  };
}

function primaryName(base: BaseAt, id: string): string | undefined {
  const r = base.records.get(id);
  const t = r && base.tables.get(r.table_id);
  if (!r || !t) return undefined;
  const v = r.values[t.primary_field_id];
  return v === null || v === undefined ? '' : String(v);
}

/** A record that is in the view at both moments, with the fields whose value differs. */
export interface ViewRecordChange {
  id: string;
  changes: { field_id: string; from: unknown; to: unknown }[];
}

export interface ViewDiff {
  entered: ViewRecord[];
  left: ViewRecord[];
  changed: ViewRecordChange[];
}

const same = (a: unknown, b: unknown) =>
  (a ?? null) === (b ?? null) || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What moved in a view between two moments: records that entered it, that left it, and those in it
 * both times whose values differ (every field of either moment, formula values included).
 */
export function diffViewRows(from: readonly ViewRecord[], to: readonly ViewRecord[]): ViewDiff {
  const before = new Map(from.map((r) => [r.id, r]));
  const after = new Set(to.map((r) => r.id));
  const entered: ViewRecord[] = [];
  const changed: ViewRecordChange[] = [];
  for (const r of to) {
    const was = before.get(r.id);
    if (!was) {
      entered.push(r);
      continue;
    }
    const changes: ViewRecordChange['changes'] = [];
    for (const field_id of new Set([...Object.keys(was.values), ...Object.keys(r.values)]))
      if (!same(was.values[field_id], r.values[field_id]))
        changes.push({
          field_id,
          from: was.values[field_id] ?? null,
          to: r.values[field_id] ?? null,
        });
    if (changes.length) changed.push({ id: r.id, changes });
  }
  return { entered, left: from.filter((r) => !after.has(r.id)), changed };
}
