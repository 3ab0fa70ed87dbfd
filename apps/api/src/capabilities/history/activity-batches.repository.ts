import type { Statement } from 'better-sqlite3';
import { type RecordedEvent } from '@crm/events';
import { type Sqlite } from '../../infrastructure/database/database';
import {
  type EventRow,
  type SqliteEventStore,
} from '../../infrastructure/event-store/sqlite-event-store';

/** One event type of a batch: its span in the log and what its events add up to. */
export interface BatchTypeRow {
  type: string;
  first_position: number;
  last_position: number;
  events: number;
  records: number;
  cells: number;
  file_name: string | null;
}

export const ACTIVITY_BATCHES = 'activity_batches';

/** The SQL of the batch summaries (`activity_batch_types`), written by their projector, read by the feed. */
export class ActivityBatchesRepository {
  private readonly rowsOf: Statement;
  private readonly earlier: Statement;
  private readonly anyEarlier: Statement;
  private readonly streamSeen: Statement;
  private readonly upsert: Statement;
  private readonly checkpoint: Statement;

  constructor(
    readonly db: Sqlite,
    private readonly store: SqliteEventStore,
  ) {
    this.rowsOf = db.prepare(
      `SELECT type, first_position, last_position, events, records, cells, file_name
       FROM activity_batch_types WHERE correlation_id = ? ORDER BY first_position`,
    );
    // One statement for every correlation of a read of the log: each is one probe of the index.
    this.anyEarlier = db
      .prepare(
        `SELECT c.value FROM json_each(?) AS c
         WHERE EXISTS (SELECT 1 FROM events WHERE correlation_id = c.value AND position < ?)`,
      )
      .pluck();
    this.earlier = db.prepare(
      'SELECT * FROM events WHERE correlation_id = ? AND position < ? ORDER BY position',
    );
    // By the stream's own index (a record has few events), not the batch's (it may have 100,000).
    this.streamSeen = db
      .prepare(
        'SELECT 1 FROM events WHERE stream_id = ? AND +correlation_id = ? AND +type = ? AND position < ? LIMIT 1',
      )
      .pluck();
    this.upsert = db.prepare(
      `INSERT INTO activity_batch_types
         (correlation_id, type, first_position, last_position, events, records, cells, file_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (correlation_id, type) DO UPDATE SET
         first_position = min(first_position, excluded.first_position),
         last_position = max(last_position, excluded.last_position),
         events = events + excluded.events,
         records = records + excluded.records,
         cells = cells + excluded.cells,
         file_name = coalesce(file_name, excluded.file_name)`,
    );
    // A projector following the log is at its head (see ProjectionRunner).
    this.checkpoint = db
      .prepare(
        `SELECT CASE WHEN follows_log = 1 THEN (SELECT coalesce(max(position), 0) FROM events) ELSE position END
         FROM projection_checkpoints WHERE name = ?`,
      )
      .pluck();
  }

  /** A batch's rows by type, in the order they start; none for a single event. */
  rows(correlationId: string): BatchTypeRow[] {
    return this.rowsOf.all(correlationId) as BatchTypeRow[];
  }

  /** Of these correlations, those the log holds an event of before a position. */
  withEarlier(correlationIds: readonly string[], position: number): Set<string> {
    if (correlationIds.length === 0) return new Set();
    return new Set(this.anyEarlier.all(JSON.stringify(correlationIds), position) as string[]);
  }

  /** The events of a correlation before a position. */
  earlierEvents(correlationId: string, position: number): RecordedEvent[] {
    return (this.earlier.all(correlationId, position) as EventRow[]).map((r) =>
      this.store.fromRow(r),
    );
  }

  /** Whether a stream had an event of this type in this correlation before a position. */
  streamSeenBefore(
    streamId: string,
    correlationId: string,
    type: string,
    position: number,
  ): boolean {
    return this.streamSeen.get(streamId, correlationId, type, position) !== undefined;
  }

  add(correlationId: string, row: BatchTypeRow): void {
    this.upsert.run(
      correlationId,
      row.type,
      row.first_position,
      row.last_position,
      row.events,
      row.records,
      row.cells,
      row.file_name,
    );
  }

  /** How far the projector has read the log: a batch up to there has all its rows. */
  projectedUpTo(): number {
    return (this.checkpoint.get(ACTIVITY_BATCHES) as number | undefined) ?? 0;
  }

  reset(): void {
    this.db.prepare('DELETE FROM activity_batch_types').run();
  }
}
