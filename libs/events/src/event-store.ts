import { type EventMetadata, type NewEvent, type RecordedEvent } from './envelope';

/** `NO_STREAM` expects the stream not to exist; `ANY` skips the check (system streams only). */
export const NO_STREAM = 0;
export const ANY_VERSION = -1;

export interface StreamAppend {
  stream_id: string;
  /** The version the writer last saw; 0 for a new stream, ANY_VERSION to skip the check. */
  expected_version: number;
  events: NewEvent[];
}

export interface AppendOptions {
  metadata: EventMetadata;
  /** UTC time of the command; every event of one append shares it. */
  recorded_at: string;
  /** ids for the events, in order; a store generates none of its own so that tests are deterministic. */
  event_ids: string[];
}

export interface AppendResult {
  /** Position of the last event appended (the log head after the append). */
  position: number;
  events: RecordedEvent[];
}

export interface StreamInfo {
  version: number;
  updated_at: string | null;
  updated_by: string | null;
}

/**
 * The event store port. Asynchronous, so that a server database can stand behind it; the embedded
 * stores keep a synchronous core beside it (`InMemoryLog`, the SQLite store) that a command uses
 * inside its own transaction. Idempotency is not the store's: the command executor keeps one ledger
 * of keys and answers for every command.
 */
export interface EventStore {
  /** Appends to one or more streams atomically; every stream's expected version is checked first. */
  append(appends: StreamAppend[], options: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /** Events with position > after, in order, at most `limit`. */
  readAll(after?: number, limit?: number): Promise<RecordedEvent[]>;
  lastPosition(): Promise<number>;
  streamInfo(streamId: string): Promise<StreamInfo>;
}

/** The same operations, answered in the calling turn: what a store does inside a transaction. */
export interface SyncEventLog {
  append(appends: StreamAppend[], options: AppendOptions): AppendResult;
  readStream(streamId: string, fromVersion?: number): RecordedEvent[];
  readAll(after?: number, limit?: number): RecordedEvent[];
  lastPosition(): number;
  streamInfo(streamId: string): StreamInfo;
}

/** The port over a synchronous log; `transaction` makes an append atomic where the log needs it. */
export function asyncEventStore(
  log: SyncEventLog,
  transaction: <T>(work: () => T) => T = (work) => work(),
): EventStore {
  const answer = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    append: (appends, options) => answer(() => transaction(() => log.append(appends, options))),
    readStream: (streamId, fromVersion) => answer(() => log.readStream(streamId, fromVersion)),
    readAll: (after, limit) => answer(() => log.readAll(after, limit)),
    lastPosition: () => answer(() => log.lastPosition()),
    streamInfo: (streamId) => answer(() => log.streamInfo(streamId)),
  };
}
