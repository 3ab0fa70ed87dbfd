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
  /** Sent by a client; the same key never appends twice. */
  idempotency_key?: string;
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
 * The event store port. Both embedded implementations (in-memory, SQLite) are synchronous so that a
 * command's read, decision, append and inline projections share one transaction; a server-database
 * adapter wraps the same contract.
 */
export interface EventStore {
  /** Appends to one or more streams atomically; every stream's expected version is checked first. */
  append(appends: StreamAppend[], options: AppendOptions): AppendResult;
  readStream(streamId: string, fromVersion?: number): RecordedEvent[];
  /** Events with position > after, in order, at most `limit`. */
  readAll(after?: number, limit?: number): RecordedEvent[];
  lastPosition(): number;
  streamInfo(streamId: string): StreamInfo;
  /** Events appended under an idempotency key, or undefined when the key is unused. */
  findByIdempotencyKey(key: string): RecordedEvent[] | undefined;
}
