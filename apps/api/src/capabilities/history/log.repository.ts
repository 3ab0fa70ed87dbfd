import { followUpStreams, type RecordedEvent } from '@crm/events';
import { type Sqlite } from '../../infrastructure/database/database';
import {
  type EventRow,
  type SqliteEventStore,
} from '../../infrastructure/event-store/sqlite-event-store';

const ACTOR = 'actor_id';
const CORRELATION = 'correlation_id';
const CAUSATION = 'causation_id';

/** What the activity feed filters on. */
export interface FeedFilter {
  types?: string[];
  actor_id?: string;
  record_id?: string;
  /** What a viewer may see: events of these types, or on this one stream (none: everything). */
  scope?: { types: readonly string[]; stream_id: string };
}

function feedWhere(f: FeedFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.scope) {
    where.push(`(type IN (${f.scope.types.map(() => '?').join(',')}) OR stream_id = ?)`);
    params.push(...f.scope.types, f.scope.stream_id);
  }
  if (f.types?.length) {
    where.push(`type IN (${f.types.map(() => '?').join(',')})`);
    params.push(...f.types);
  }
  if (f.actor_id) {
    where.push(`${ACTOR} = ?`);
    params.push(f.actor_id);
  }
  if (f.record_id) {
    // The record's own stream and its reminders' and interactions' (ranges of stream ids).
    const ranges = followUpStreams.prefixesOf(f.record_id).map(prefixRange);
    where.push(`(stream_id = ?${' OR (stream_id >= ? AND stream_id < ?)'.repeat(ranges.length)})`);
    params.push(`record-${f.record_id}`, ...ranges.flat());
  }
  return { where, params };
}

/** The stream ids starting with `prefix` are those in [prefix, prefix with its last character next). */
function prefixRange(prefix: string): [string, string] {
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

/** The history capability's SQL over the log, on the indexed columns of the history migration. */
export class LogRepository {
  constructor(
    private readonly db: Sqlite,
    private readonly store: SqliteEventStore,
  ) {}

  private events(sql: string, ...params: unknown[]): RecordedEvent[] {
    return (this.db.prepare(sql).all(...params) as EventRow[]).map((r) => this.store.fromRow(r));
  }

  byTypes(types: string[]): RecordedEvent[] {
    return this.events(
      `SELECT * FROM events WHERE type IN (${types.map(() => '?').join(',')}) ORDER BY position`,
      ...types,
    );
  }

  /** The events of these types after `position`, in log order (the `events_type` index). */
  byTypesAfter(types: readonly string[], position: number): RecordedEvent[] {
    return this.events(
      `SELECT * FROM events WHERE type IN (${types.map(() => '?').join(',')}) AND position > ?
       ORDER BY position`,
      ...types,
      position,
    );
  }

  /** Every event of the streams whose ids start with one of `prefixes`, in log order. */
  byStreamPrefixes(prefixes: readonly string[]): RecordedEvent[] {
    const ranges = prefixes.map(prefixRange);
    if (ranges.length === 0) return [];
    return this.events(
      `SELECT * FROM events WHERE ${ranges.map(() => '(stream_id >= ? AND stream_id < ?)').join(' OR ')} ORDER BY position`,
      ...ranges.flat(),
    );
  }

  byCorrelation(correlationId: string): RecordedEvent[] {
    return this.events(
      `SELECT * FROM events WHERE ${CORRELATION} = ? ORDER BY position`,
      correlationId,
    );
  }

  at(position: number): RecordedEvent | undefined {
    return this.store.readAll(position - 1, 1)[0];
  }

  /** One actor's events with positions in [fromPosition, toPosition]. */
  byActorBetween(actorId: string, fromPosition: number, toPosition: number): RecordedEvent[] {
    return this.events(
      `SELECT * FROM events WHERE ${ACTOR} = ? AND position BETWEEN ? AND ? ORDER BY position`,
      actorId,
      fromPosition,
      toPosition,
    );
  }

  /**
   * The last position recorded at or before a moment (0 when the log starts later). The newest entry
   * of the recorded_at index at or before it is the answer, unless the clock was set back after that
   * entry: an event recorded at or before the moment with a later position was then stamped earlier
   * than one before it, and every such stretch of the log is in event_clock_steps (the store notes
   * them as it appends). Two index probes, however long the log.
   */
  positionAt(iso: string): number {
    const floor = this.db
      .prepare(
        'SELECT position FROM events WHERE recorded_at <= ? ORDER BY recorded_at DESC, position DESC LIMIT 1',
      )
      .pluck()
      .get(iso) as number | undefined;
    if (floor === undefined) return 0;
    const stepped = this.db
      .prepare('SELECT MAX(to_position) FROM event_clock_steps WHERE recorded_at <= ?')
      .pluck()
      .get(iso) as number | null;
    return Math.max(floor, stepped ?? 0);
  }

  /** Ids of every record with an event after a position, in the order of their first such event. */
  recordsTouchedAfter(position: number): string[] {
    return (
      this.db
        .prepare(
          `SELECT substr(stream_id, 8) AS id FROM events WHERE position > ? AND stream_id LIKE 'record-%' GROUP BY stream_id ORDER BY MIN(position)`,
        )
        .all(position) as { id: string }[]
    ).map((r) => r.id);
  }

  feed(f: FeedFilter & { before?: number; limit: number }): RecordedEvent[] {
    const { where, params } = feedWhere(f);
    if (f.before !== undefined) {
      where.push('position < ?');
      params.push(f.before);
    }
    return this.events(
      `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position DESC LIMIT ?`,
      ...params,
      f.limit,
    );
  }

  /**
   * The run of a batch that ends at `last`, as the feed shows it: back from `last` to the batch's
   * first event, stopping at any other event the filter keeps (a batch is one transaction, so in
   * practice it is the whole batch).
   */
  batchRun(
    correlationId: string,
    last: number,
    f: FeedFilter,
  ): { first: number; last: number; events: number } {
    const { where, params } = feedWhere(f);
    const and = where.length ? ` AND ${where.join(' AND ')}` : '';
    const start = this.db
      .prepare(`SELECT MIN(position) FROM events WHERE ${CORRELATION} = ?`)
      .pluck()
      .get(correlationId) as number;
    const other = this.db
      .prepare(
        `SELECT MAX(position) FROM events WHERE position >= ? AND position < ? AND ${CORRELATION} IS NOT ?${and}`,
      )
      .pluck()
      .get(start, last, correlationId, ...params) as number | null;
    const row = this.db
      .prepare(
        `SELECT MIN(position) AS first, COUNT(*) AS events FROM events WHERE ${CORRELATION} = ? AND position > ? AND position <= ?${and}`,
      )
      .get(correlationId, other ?? 0, last, ...params) as { first: number; events: number };
    return { first: row.first, last, events: row.events };
  }

  /** Per event type, the events and distinct records of a run of a batch, and the cells its updates changed. */
  batchTypes(
    correlationId: string,
    first: number,
    last: number,
    f: FeedFilter,
  ): { type: string; events: number; records: number; cells: number }[] {
    const { where, params } = feedWhere(f);
    const and = where.length ? ` AND ${where.join(' AND ')}` : '';
    return this.db
      .prepare(
        `SELECT type, COUNT(*) AS events, COUNT(DISTINCT stream_id) AS records,
        SUM(CASE WHEN type = 'RecordUpdated' THEN json_array_length(data, '$.changes') ELSE 0 END) AS cells
      FROM events WHERE ${CORRELATION} = ? AND position BETWEEN ? AND ?${and} GROUP BY type`,
      )
      .all(correlationId, first, last, ...params) as {
      type: string;
      events: number;
      records: number;
      cells: number;
    }[];
  }

  /** The file an import batch read, from the provenance its record events carry. */
  importFileName(correlationId: string, first: number, last: number): string | null {
    return (
      (this.db
        .prepare(
          `SELECT json_extract(data, '$.provenance.file_name') FROM events WHERE ${CORRELATION} = ? AND position BETWEEN ? AND ? AND json_extract(data, '$.provenance.file_name') IS NOT NULL LIMIT 1`,
        )
        .pluck()
        .get(correlationId, first, last) as string | undefined) ?? null
    );
  }

  /** The first few events of a run of a batch that are not record events (schema, views). */
  batchOthers(
    correlationId: string,
    first: number,
    last: number,
    f: FeedFilter,
    limit: number,
  ): RecordedEvent[] {
    const { where, params } = feedWhere(f);
    const and = where.length ? ` AND ${where.join(' AND ')}` : '';
    return this.events(
      `SELECT * FROM events WHERE ${CORRELATION} = ? AND position BETWEEN ? AND ? AND type NOT LIKE 'Record%'${and} ORDER BY position LIMIT ?`,
      correlationId,
      first,
      last,
      ...params,
      limit,
    );
  }

  /** One page of a batch's events, oldest first, and how many it has. */
  batchPage(
    correlationId: string,
    f: Pick<FeedFilter, 'types' | 'scope'>,
    offset: number,
    limit: number,
  ): { events: RecordedEvent[]; total: number } {
    const { where, params } = feedWhere(f);
    const and = where.length ? ` AND ${where.join(' AND ')}` : '';
    const total = this.db
      .prepare(`SELECT COUNT(*) FROM events WHERE ${CORRELATION} = ?${and}`)
      .pluck()
      .get(correlationId, ...params) as number;
    const events = this.events(
      `SELECT * FROM events WHERE ${CORRELATION} = ?${and} ORDER BY position LIMIT ? OFFSET ?`,
      correlationId,
      ...params,
      limit,
      offset,
    );
    return { events, total };
  }

  /** An actor's most recent batches (correlations) among their last few thousand events, newest first. */
  recentBatches(
    actorId: string,
    limit: number,
    types: readonly string[],
  ): { correlation_id: string; events: RecordedEvent[] }[] {
    const rows = this.db
      .prepare(
        `SELECT ${CORRELATION} AS c, MAX(position) AS p FROM (
        SELECT correlation_id, position FROM events WHERE ${ACTOR} = ? AND type IN (${types.map(() => '?').join(',')}) ORDER BY position DESC LIMIT 5000
      ) GROUP BY c ORDER BY p DESC LIMIT ?`,
      )
      .all(actorId, ...types, limit) as { c: string }[];
    return rows.map((r) => ({
      correlation_id: r.c,
      events: this.byCorrelation(r.c).filter((e) => types.includes(e.type)),
    }));
  }

  /** The correlation of the batch that currently undoes `correlationId`, or null (an undo that was itself undone does not count). */
  undoneBy(correlationId: string, depth = 0): string | null {
    if (depth > 20) return null;
    const undos = this.db
      .prepare(
        `SELECT DISTINCT ${CORRELATION} AS c FROM events WHERE ${CAUSATION} = ? ORDER BY position DESC`,
      )
      .all(`undo:${correlationId}`) as { c: string }[];
    for (const u of undos) if (this.undoneBy(u.c, depth + 1) === null) return u.c;
    return null;
  }
}
