import {
  ANY_VERSION,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type SyncEventLog,
  type EventStore,
  asyncEventStore,
  type RecordedEvent,
  type StreamAppend,
  type StreamInfo,
  UpcasterRegistry,
  UPCASTERS,
  WrongExpectedVersionError,
  schemaVersionOf,
} from '@crm/events';
import type { Statement, Transaction } from 'better-sqlite3';
import { type Sqlite } from '../database/database';
import { ClockSteps } from './clock-steps';
import { GENESIS_HASH, chainHashOfStored } from './hash-chain';

export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  idempotency_key: string | null;
  hash: string;
}

/** Runs inside the append's transaction, after the events are written (the commit signal listens so). */
export type AppendHook = (events: RecordedEvent[]) => void;

/**
 * The event store port over this database: the same store behind promises (an append is atomic on
 * its own, see `append`). What a reader that may one day talk to a server database uses.
 */
export function sqliteEventStorePort(store: SqliteEventStore): EventStore {
  return asyncEventStore(store);
}

/**
 * The event store on SQLite. An append is atomic on its own (a savepoint inside the caller's
 * transaction); the command executor runs the inline projections right after it, in the same
 * transaction, so a command reads its own writes and a crash leaves either everything or nothing.
 */
export class SqliteEventStore implements SyncEventLog {
  private readonly insert: Statement;
  private readonly streamHead: Statement;
  private readonly streamVersion: Statement;
  private readonly logHead: Statement;
  private readonly byStream: Statement;
  private readonly byCorrelation: Statement;
  private readonly all: Statement;
  private readonly ofType: Statement;
  private readonly ofTypesIn: Statement;
  private readonly replayRows: Statement;
  private readonly clockSteps: ClockSteps;
  /** The metadata of consecutive events is usually one append's; parse it once. */
  private lastMetadata: { json: string; value: EventMetadata } = {
    json: '',
    value: {} as EventMetadata,
  };
  private hooks: AppendHook[] = [];
  /** Made once (see UnitOfWork): a savepoint inside the command's transaction, its own transaction alone. */
  private readonly appendTx: Transaction<
    (appends: StreamAppend[], options: AppendOptions) => AppendResult
  >;

  constructor(
    db: Sqlite,
    private readonly upcasters = new UpcasterRegistry(UPCASTERS),
  ) {
    this.appendTx = db.transaction((appends: StreamAppend[], options: AppendOptions) =>
      this.appendInTransaction(appends, options),
    );
    this.insert =
      db.prepare(`INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, idempotency_key, hash, actor_id, correlation_id, causation_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.streamHead = db.prepare(
      `SELECT stream_version, recorded_at, json_extract(metadata, '$.actor_id') AS actor FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1`,
    );
    // The version alone is read from the (stream_id, stream_version) index without touching the row.
    this.streamVersion = db
      .prepare(`SELECT MAX(stream_version) FROM events WHERE stream_id = ?`)
      .pluck();
    this.logHead = db.prepare(`SELECT position, hash FROM events ORDER BY position DESC LIMIT 1`);
    this.clockSteps = new ClockSteps(db);
    this.byStream = db.prepare(
      `SELECT * FROM events WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version`,
    );
    this.all = db.prepare(`SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?`);
    this.byCorrelation = db.prepare(
      `SELECT * FROM events WHERE correlation_id = ? ORDER BY position`,
    );
    // Read along the (type, position) index: only the rows of that type are touched.
    this.ofType = db.prepare(
      `SELECT * FROM events WHERE type = ? AND position > ? ORDER BY position LIMIT ?`,
    );
    // A short stretch of the log (the commit just made): walked by position, types checked in SQLite.
    this.ofTypesIn = db.prepare(
      `SELECT * FROM events WHERE position > ? AND position <= ?
       AND +type IN (SELECT value FROM json_each(?)) ORDER BY position`,
    );
    this.replayRows = db
      .prepare(
        `SELECT position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, idempotency_key, hash FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      )
      .raw(true);
  }

  onAppend(hook: AppendHook): void {
    this.hooks.push(hook);
  }

  append(appends: StreamAppend[], options: AppendOptions): AppendResult {
    return this.appendTx(appends, options);
  }

  private appendInTransaction(appends: StreamAppend[], options: AppendOptions): AppendResult {
    const total = appends.reduce((n, a) => n + a.events.length, 0);
    if (options.event_ids.length < total)
      throw new Error(`append needs ${total} event ids, got ${options.event_ids.length}`);
    const head = this.logHead.get() as { position: number; hash: string } | undefined;
    let position = head?.position ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const metadataJson = JSON.stringify(options.metadata);
    const meta = { ...options.metadata } as EventMetadata;
    const recorded: RecordedEvent[] = [];
    let i = 0;
    // Versions written by this append, for a stream it reaches twice. A new stream (expected version
    // 0) is neither looked up nor kept here: its first event takes version 1, which the unique
    // (stream_id, stream_version) index refuses when the stream exists already, also when this append
    // wrote it a moment ago (see writeEvent). A later append to it with a version is looked up.
    let written: Map<string, number> | null = null;
    for (const a of appends) {
      const fresh = a.expected_version === 0;
      let version = fresh ? 0 : written?.get(a.stream_id);
      if (version === undefined)
        version = (this.streamVersion.get(a.stream_id) as number | null) ?? 0;
      if (!fresh && a.expected_version !== ANY_VERSION && version !== a.expected_version) {
        const info = this.streamInfo(a.stream_id);
        throw new WrongExpectedVersionError(
          a.stream_id,
          a.expected_version,
          version,
          info.updated_at,
          info.updated_by,
        );
      }
      for (const e of a.events) {
        position++;
        version++;
        const event = this.writeEvent(
          e,
          a.stream_id,
          version,
          fresh,
          position,
          prevHash,
          options.event_ids[i],
          metadataJson,
          meta,
          options.recorded_at,
        );
        recorded.push(event);
        prevHash = event.hash;
        i++;
      }
      if (!fresh) (written ??= new Map()).set(a.stream_id, version);
    }
    this.clockSteps.note((head?.position ?? 0) + 1, position, options.recorded_at);
    for (const hook of this.hooks) hook(recorded);
    return { position, events: recorded };
  }

  /**
   * One event: its row and its link in the hash chain. A method of its own so that it is optimised
   * early, whatever the size of the appends that call it.
   */
  private writeEvent(
    e: StreamAppend['events'][number],
    streamId: string,
    version: number,
    fresh: boolean,
    position: number,
    prevHash: string,
    eventId: string,
    metadataJson: string,
    meta: EventMetadata,
    recordedAt: string,
  ): RecordedEvent {
    const dataJson = JSON.stringify(e.data);
    const schemaVersion = e.schema_version ?? schemaVersionOf(e.type);
    const hash = chainHashOfStored(
      prevHash,
      position,
      eventId,
      streamId,
      version,
      e.type,
      schemaVersion,
      dataJson,
      metadataJson,
      recordedAt,
    );
    try {
      this.insert.run(
        position,
        eventId,
        streamId,
        version,
        e.type,
        schemaVersion,
        dataJson,
        metadataJson,
        recordedAt,
        null,
        hash,
        meta.actor_id,
        meta.correlation_id,
        meta.causation_id ?? null,
      );
    } catch (err) {
      if (fresh && version === 1 && isStreamVersionTaken(err)) {
        const info = this.streamInfo(streamId);
        throw new WrongExpectedVersionError(
          streamId,
          0,
          info.version,
          info.updated_at,
          info.updated_by,
        );
      }
      throw err;
    }
    // The decider's data object, not a re-parse of what was stored: deciders never reuse it.
    return {
      position,
      event_id: eventId,
      stream_id: streamId,
      stream_version: version,
      type: e.type,
      schema_version: schemaVersion,
      data: e.data,
      metadata: meta,
      recorded_at: recordedAt,
      idempotency_key: null,
      hash,
    };
  }

  /** The events of one batch (a correlation), in log order, of one type if given. */
  readCorrelation(correlationId: string, type?: string): RecordedEvent[] {
    return (this.byCorrelation.all(correlationId) as EventRow[])
      .filter((r) => type === undefined || r.type === type)
      .map((r) => this.fromRow(r));
  }

  readStream(streamId: string, fromVersion = 1): RecordedEvent[] {
    return (this.byStream.all(streamId, fromVersion) as EventRow[]).map((r) => this.fromRow(r));
  }

  readAll(after = 0, limit = 1_000_000_000): RecordedEvent[] {
    return (this.all.all(after, limit) as EventRow[]).map((r) => this.fromRow(r));
  }

  /**
   * The events of `types` after `after`, in log order, at most about `limit`, and the position the
   * log has been looked through to (`through`): a reader that wants few kinds of events moves its
   * checkpoint there without reading, let alone parsing, the events of every other kind. A short
   * stretch (the commit just made) is one walk by position; a long one (a large import) one read
   * along the type index per type. The head is read first, so every event up to it had committed
   * before any of the reads and none of them is missed.
   */
  readOfTypes(
    after: number,
    types: readonly string[],
    limit: number,
  ): { events: RecordedEvent[]; through: number; head: number } {
    const head = this.lastPosition();
    let through = head;
    if (through <= after || types.length === 0)
      return { events: [], through: Math.max(through, after), head };
    if (through - after <= limit) {
      const near = this.ofTypesIn.all(after, through, JSON.stringify(types)) as EventRow[];
      return { events: near.map((r) => this.fromRow(r)), through, head };
    }
    const rows: EventRow[] = [];
    for (const type of types) {
      const ofType = this.ofType.all(type, after, limit) as EventRow[];
      // A full read may stop short of the head: nothing past its last event is known yet.
      if (ofType.length === limit) through = Math.min(through, ofType[limit - 1].position);
      for (const r of ofType) rows.push(r);
    }
    const events: RecordedEvent[] = [];
    for (const r of rows.sort((a, b) => a.position - b.position))
      if (r.position <= through) events.push(this.fromRow(r));
    return { events, through, head };
  }

  /**
   * readAll for replays: array rows turned straight into events (no intermediate row object), data
   * taken as parsed when no upcaster applies to its type, and metadata shared by consecutive events
   * of one append.
   */
  readForReplay(after: number, limit: number): RecordedEvent[] {
    const rows = this.replayRows.all(after, limit) as unknown[][];
    const out = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const type = r[4] as string;
      let data: unknown = JSON.parse(r[6] as string);
      let schemaVersion = r[5] as number;
      if (this.upcasters.lifts(type))
        ({ data, schema_version: schemaVersion } = this.upcasters.upcast(
          type,
          schemaVersion,
          data,
        ));
      out[i] = {
        position: r[0] as number,
        event_id: r[1] as string,
        stream_id: r[2] as string,
        stream_version: r[3] as number,
        type,
        schema_version: schemaVersion,
        data,
        metadata: this.metadataOf(r[7] as string),
        recorded_at: r[8] as string,
        idempotency_key: r[9] as string | null,
        hash: r[10] as string,
      };
    }
    return out;
  }

  lastPosition(): number {
    return (this.logHead.get() as { position: number } | undefined)?.position ?? 0;
  }

  headHash(): string {
    return (this.logHead.get() as { hash: string } | undefined)?.hash ?? GENESIS_HASH;
  }

  streamInfo(streamId: string): StreamInfo {
    const row = this.streamHead.get(streamId) as
      { stream_version: number; recorded_at: string; actor: string } | undefined;
    return {
      version: row?.stream_version ?? 0,
      updated_at: row?.recorded_at ?? null,
      updated_by: row?.actor ?? null,
    };
  }

  /** Maps a stored row (SELECT * FROM events) to an event, upcast to the current shape. */
  fromRow(r: EventRow): RecordedEvent {
    const lifted = this.upcasters.upcast(r.type, r.schema_version, JSON.parse(r.data));
    return {
      position: r.position,
      event_id: r.event_id,
      stream_id: r.stream_id,
      stream_version: r.stream_version,
      type: r.type,
      schema_version: lifted.schema_version,
      data: lifted.data,
      metadata: this.metadataOf(r.metadata),
      recorded_at: r.recorded_at,
      idempotency_key: r.idempotency_key,
      hash: r.hash,
    };
  }

  private metadataOf(json: string): EventMetadata {
    if (this.lastMetadata.json !== json) this.lastMetadata = { json, value: JSON.parse(json) };
    return this.lastMetadata.value;
  }
}

/** The insert broke the unique (stream_id, stream_version) index: the stream has that version already. */
function isStreamVersionTaken(err: unknown): boolean {
  // Not `instanceof Error`: the driver's errors may come from another realm (as under a test runner).
  const e = err as { code?: unknown; message?: unknown } | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    typeof e.message === 'string' &&
    e.message.includes('events.stream_id, events.stream_version')
  );
}
