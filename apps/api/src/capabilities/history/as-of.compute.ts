import {
  type BaseAt,
  diffViewRows,
  type TeamMember,
  type ViewDiff,
  type ViewGroup,
  type ViewRecord,
  type ViewState,
  viewAt,
} from '@crm/domain';
import { type FieldDefinition } from '@crm/events';
import { type ListsAt } from './lists-at';
import { readableByTable } from './snapshot-records';
import { type SnapshotStore } from './snapshot.store';

/** A moment to evaluate at: the last log position at or before it, and the moment itself. */
export interface Moment {
  position: number;
  now: number;
}

interface Reader {
  /** The view as it is now; used at a moment when the view did not exist yet. */
  view: ViewState;
  me: string;
  team: TeamMember[];
  /**
   * Whose filters and sorts: the view's own at that moment ('then', the default), or its present
   * ones over the base then ('now': the dashboard's records behind a chart element at a past date).
   */
  definition?: 'then' | 'now';
  /** The reader's time zone, for "today" and the relative date filters. */
  timeZone?: string | null;
}

export type AsOfRequest =
  | (Reader & { kind: 'records'; at: Moment; offset: number; limit: number })
  /** One side of a diff: every record of the view at a moment, whole. */
  | (Reader & { kind: 'side'; at: Moment })
  | (Reader & { kind: 'diff'; from: Moment; to: Moment });

/** The view's records at one moment, each whole, and the table's fields then: one side of a diff. */
export interface DiffSide {
  records: ViewRecord[];
  fields: FieldDefinition[];
}

export interface RecordsAnswer {
  total: number;
  records: ViewRecord[];
  groups: ViewGroup[] | null;
  fields: FieldDefinition[];
  view_defined: 'then' | 'now';
}

export interface DiffAnswer extends ViewDiff {
  fields: FieldDefinition[];
}

interface Evaluated {
  /** The page's records (all of them without a page). */
  records: ViewRecord[];
  total: number;
  groups: ViewGroup[] | null;
  fields: FieldDefinition[];
  view_defined: 'then' | 'now';
}

const NO_LISTS: ReadonlySet<string> = new Set();

/**
 * The view at one moment: its definition then (or now, had it none yet, or when the reader asks
 * for today's), over the base then and the records' lists then.
 */
function evaluate(
  log: AsOfLog,
  reader: Reader,
  at: Moment,
  page?: { offset: number; limit: number },
): Evaluated {
  const base: BaseAt = readableByTable(log.snapshots.stateAt(at.position));
  const lists = log.lists.at(at.position);
  const then = reader.definition === 'now' ? undefined : base.views.get(reader.view.id);
  const team = new Map(reader.team.map((m) => [m.id, m]));
  const rows = viewAt(base, then ?? reader.view, {
    now: at.now,
    me: reader.me,
    timeZone: reader.timeZone ?? null,
    team: (id) => team.get(id),
    listsOf: (id) => lists.get(id) ?? NO_LISTS,
    page,
  });
  return {
    records: rows?.records ?? [],
    total: rows?.total ?? 0,
    groups: rows?.groups ?? null,
    fields: rows?.table.fields ?? [],
    view_defined: then ? 'then' : 'now',
  };
}

/** What an as-of answer reads: the base and the records' lists at a position, both from the log. */
export interface AsOfLog {
  snapshots: SnapshotStore;
  lists: ListsAt;
}

/** Answers an as-of request from the log (snapshots and replay); reads nothing of the live read models. */
export function answerAsOf(
  log: AsOfLog,
  request: AsOfRequest,
): RecordsAnswer | DiffSide | DiffAnswer {
  if (request.kind === 'records') {
    // Only the page's records are given whole: their formulas, lookups and rollups computed.
    const e = evaluate(log, request, request.at, { offset: request.offset, limit: request.limit });
    return {
      total: e.total,
      records: e.records,
      groups: e.groups,
      fields: e.fields,
      view_defined: e.view_defined,
    };
  }
  if (request.kind === 'side') {
    const e = evaluate(log, request, request.at);
    return { records: e.records, fields: e.fields };
  }
  return diffOf(evaluate(log, request, request.from), evaluate(log, request, request.to));
}

/** What moved in a view between two moments, the fields named as they are at the second. */
export function diffOf(from: DiffSide, to: DiffSide): DiffAnswer {
  return { ...diffViewRows(from.records, to.records), fields: to.fields };
}
