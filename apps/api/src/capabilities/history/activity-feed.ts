import {
  accountStreams,
  AUTOMATION_EVENT_TYPES,
  FEATURE_REQUEST_EVENT_TYPES,
  FUNDRAISING_EVENT_TYPES,
  type RecordedEvent,
  REMINDER_EVENT_TYPES,
} from '@crm/events';
import {
  type ActivityEntry,
  type BatchPage,
  canSeeViewEvent,
  describeBatch,
  describeEvent,
  type HistoryPage,
  notFound,
} from '@crm/domain';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type ActivityBatchesRepository } from './activity-batches.repository';
import { type BatchRun, runFromSummary } from './batch-summary';
import { type HistoryQueries } from './history.queries';
import { type FeedFilter, type LogRepository } from './log.repository';
import { type ValueContext } from './value-context';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';

/** Events a rollback can reverse: data changes (a table's creation is kept by any rollback). */
/** What "roll back this batch" takes back: data changes, and list moves (a rule's or a person's). */
const REVERSIBLE = new Set<string>([
  ...FUNDRAISING_EVENT_TYPES.filter((t) => t !== 'TableCreated'),
  'MembershipAdded',
  'MembershipRemoved',
]);

/**
 * The fundraising data's events, the automations that act on it (rules, runs, lists), reminders and
 * interactions, and the team's feature requests.
 */
const MEMBER_TYPES: readonly string[] = [
  ...FUNDRAISING_EVENT_TYPES,
  ...AUTOMATION_EVENT_TYPES,
  ...REMINDER_EVENT_TYPES,
  ...FEATURE_REQUEST_EVENT_TYPES,
];

/**
 * What a viewer may see of the log. Admins see every event; members see the fundraising data's events
 * and their own account's (not invites, other people's accounts or backups).
 */
const scopeOf = (viewer: Actor): FeedFilter['scope'] =>
  viewer.role === 'admin' || viewer.role === 'system'
    ? undefined
    : { types: MEMBER_TYPES, stream_id: accountStreams.user(viewer.id) };

/**
 * The activity feed, newest first, with a batch (an import, a restore, a paste: several events of
 * one command) as one entry that names what it did; its rows are paged on request. A page reads a
 * few rows of the log per entry, and a batch's summary rows (by type) instead of its events, however
 * large the batches on it.
 */
export class ActivityFeed {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly log: LogRepository,
    private readonly queries: HistoryQueries,
    private readonly values: ValueContext,
    private readonly batches: ActivityBatchesRepository,
  ) {}

  page(
    asked: Omit<FeedFilter, 'scope'> & { before?: number; limit: number },
    viewer: Actor,
  ): HistoryPage<ActivityEntry> {
    const filter = { ...asked, scope: scopeOf(viewer) };
    return this.uow.read(() => {
      const names = this.queries.fieldNames();
      const summarised = this.batches.projectedUpTo();
      const entries: ActivityEntry[] = [];
      let before = filter.before;
      let more = false;
      scan: for (;;) {
        const chunk = this.log.feed({ ...filter, before, limit: filter.limit + 1 });
        for (const e of chunk) {
          // Older events of a batch already on the page.
          if (before !== undefined && e.position >= before) continue;
          // Nobody sees another person's personal views (as on the live stream).
          if (!canSeeViewEvent(e, viewer)) {
            before = e.position;
            continue;
          }
          if (entries.length === filter.limit) {
            more = true;
            break scan;
          }
          const run = this.runOf(e, filter, summarised);
          entries.push(
            run && run.events > 1 ? this.batchEntry(e, run, filter, names) : this.single(e, names),
          );
          before = run && run.events > 1 ? run.first : e.position;
        }
        if (chunk.length < filter.limit + 1) break;
      }
      return {
        entries,
        next_before: more ? (before ?? null) : null,
        ...this.values.forPage(entries),
      };
    });
  }

  /** One page of a batch's rows, oldest first, each with the record's name. */
  batch(
    correlationId: string,
    types: string[] | undefined,
    offset: number,
    limit: number,
    viewer: Actor,
  ): BatchPage {
    return this.uow.read(() => {
      const { events, total } = this.log.batchPage(
        correlationId,
        { types, scope: scopeOf(viewer) },
        offset,
        limit,
      );
      if (total === 0)
        throw notFound(`no batch ${correlationId} in the history`, {
          field: 'correlation_id',
          given: correlationId,
        });
      const names = this.queries.fieldNames();
      const entries = events
        .filter((e) => canSeeViewEvent(e, viewer))
        .map((e) => this.single(e, names));
      return {
        entries,
        total,
        next_offset: offset + events.length < total ? offset + events.length : null,
        ...this.values.forPage(entries),
      };
    });
  }

  /**
   * The batch an event ends, from its summary rows when they answer for the filter, else from the
   * log. A correlation without rows is a single event (the summaries cover the log up to
   * `summarised`).
   */
  private runOf(e: RecordedEvent, filter: FeedFilter, summarised: number): BatchRun | null {
    const correlation = e.metadata.correlation_id;
    if (!correlation) return null;
    if (e.position <= summarised) {
      const rows = this.batches.rows(correlation);
      if (rows.length === 0) return null;
      const run = runFromSummary(rows, e.position, filter);
      if (run) return run;
    }
    const run = this.log.batchRun(correlation, e.position, filter);
    return { ...run, types: null, file_name: null, others: null };
  }

  private single(e: RecordedEvent, names: ReturnType<HistoryQueries['fieldNames']>): ActivityEntry {
    const d = e.data as { record_id?: string; table_id?: string };
    const recordId = d.record_id ?? null;
    return {
      ...this.queries.entry(e, names),
      type: e.type,
      record_id: recordId,
      record_name: recordId ? this.values.recordName(recordId) : null,
      table_id: d.table_id ?? null,
      batch: null,
      can_roll_back: REVERSIBLE.has(e.type),
    };
  }

  private batchEntry(
    e: RecordedEvent,
    run: BatchRun,
    filter: FeedFilter,
    names: ReturnType<HistoryQueries['fieldNames']>,
  ): ActivityEntry {
    const correlation = e.metadata.correlation_id;
    const rows = run.types ?? this.log.batchTypes(correlation, run.first, run.last, filter);
    const types = Object.fromEntries(
      rows.map((r) => [r.type, { events: r.events, records: r.records }]),
    );
    const causation = e.metadata.causation_id ?? null;
    const described = describeBatch({
      source: e.metadata.source,
      causation_id: causation,
      types,
      cells: rows.reduce((n, r) => n + (r.cells ?? 0), 0),
      file_name: e.metadata.source === 'import' ? this.fileName(correlation, run) : null,
      restored_to: e.metadata.source === 'restore' ? this.restoredTo(causation) : null,
      others: this.others(correlation, run, filter).map((x) => describeEvent(x, names)),
    });
    const records = rows
      .filter((r) => r.type.startsWith('Record'))
      .reduce((n, r) => n + r.records, 0);
    const single = this.single(e, names);
    return {
      ...single,
      summary: described.summary,
      changes: [],
      record_id: records === 1 ? single.record_id : null,
      record_name: records === 1 ? single.record_name : null,
      batch: {
        events: run.events,
        records,
        first_position: run.first,
        kind: described.kind,
        restored_to: e.metadata.source === 'restore' ? this.restoredTo(causation) : null,
        detail: described.detail,
      },
      can_roll_back: rows.some((r) => REVERSIBLE.has(r.type)),
    };
  }

  private fileName(correlation: string, run: BatchRun): string | null {
    return run.types ? run.file_name : this.log.importFileName(correlation, run.first, run.last);
  }

  /** The first few events of the run that are not record events (schema, views). */
  private others(correlation: string, run: BatchRun, filter: FeedFilter): RecordedEvent[] {
    if (!run.types) return this.log.batchOthers(correlation, run.first, run.last, filter, 3);
    return run.others
      ? this.log.batchOthers(correlation, run.others.first, run.others.last, filter, 3)
      : [];
  }

  /** The moment a restore went back to, from the target its causation names. */
  private restoredTo(causation: string | null): string | null {
    if (!causation?.startsWith('restore:')) return null;
    try {
      const target = JSON.parse(causation.slice('restore:'.length)) as {
        at?: string;
        position?: number;
      };
      if (target.at) return target.at;
      return typeof target.position === 'number'
        ? (this.log.at(target.position)?.recorded_at ?? null)
        : null;
    } catch {
      return null;
    }
  }
}
