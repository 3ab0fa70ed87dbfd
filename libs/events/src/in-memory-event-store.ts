import { WrongExpectedVersionError } from './errors';
import { type RecordedEvent } from './envelope';
import { schemaVersionOf } from './catalogue/schema-versions';
import {
  ANY_VERSION,
  type AppendOptions,
  type AppendResult,
  asyncEventStore,
  type EventStore,
  type SyncEventLog,
  type StreamAppend,
  type StreamInfo,
} from './event-store';

export type ChainHasher = (previousHash: string, event: Omit<RecordedEvent, 'hash'>) => string;

const GENESIS = '0'.repeat(64);

/** The reference log, answered in the calling turn: the domain's given-when-then specs use it. */
export class InMemoryLog implements SyncEventLog {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();

  constructor(private readonly hash: ChainHasher) {}

  append(appends: StreamAppend[], options: AppendOptions): AppendResult {
    // Checked in order against the version each earlier append of this call leaves, before anything is written.
    const pending = new Map<string, StreamInfo>();
    for (const a of appends) {
      const info = pending.get(a.stream_id) ?? this.streamInfo(a.stream_id);
      if (a.expected_version !== ANY_VERSION && info.version !== a.expected_version) {
        throw new WrongExpectedVersionError(
          a.stream_id,
          a.expected_version,
          info.version,
          info.updated_at,
          info.updated_by,
        );
      }
      if (a.events.length > 0)
        pending.set(a.stream_id, {
          version: info.version + a.events.length,
          updated_at: options.recorded_at,
          updated_by: options.metadata.actor_id,
        });
    }
    const total = appends.reduce((n, a) => n + a.events.length, 0);
    if (options.event_ids.length < total)
      throw new Error(`append needs ${total} event ids, got ${options.event_ids.length}`);
    const recorded: RecordedEvent[] = [];
    let i = 0;
    for (const a of appends) {
      let version = this.streamInfo(a.stream_id).version;
      for (const e of a.events) {
        const prev = this.log[this.log.length - 1];
        const base: Omit<RecordedEvent, 'hash'> = {
          position: (prev?.position ?? 0) + 1,
          event_id: options.event_ids[i],
          stream_id: a.stream_id,
          stream_version: ++version,
          type: e.type,
          schema_version: e.schema_version ?? schemaVersionOf(e.type),
          data: structuredClone(e.data),
          metadata: { ...options.metadata },
          recorded_at: options.recorded_at,
          idempotency_key: null,
        };
        const event: RecordedEvent = { ...base, hash: this.hash(prev?.hash ?? GENESIS, base) };
        this.log.push(event);
        const stream = this.streams.get(a.stream_id) ?? [];
        stream.push(event);
        this.streams.set(a.stream_id, stream);
        recorded.push(event);
        i++;
      }
    }
    return { position: this.lastPosition(), events: recorded };
  }

  readStream(streamId: string, fromVersion = 1): RecordedEvent[] {
    return (this.streams.get(streamId) ?? []).filter((e) => e.stream_version >= fromVersion);
  }

  readAll(after = 0, limit = Number.MAX_SAFE_INTEGER): RecordedEvent[] {
    return this.log.filter((e) => e.position > after).slice(0, limit);
  }

  lastPosition(): number {
    return this.log[this.log.length - 1]?.position ?? 0;
  }

  streamInfo(streamId: string): StreamInfo {
    const last = this.streams.get(streamId)?.at(-1);
    return {
      version: last?.stream_version ?? 0,
      updated_at: last?.recorded_at ?? null,
      updated_by: last?.metadata.actor_id ?? null,
    };
  }
}

/** The reference implementation of the port, for contract tests: the in-memory log behind promises. */
export class InMemoryEventStore implements EventStore {
  readonly log: InMemoryLog;
  private readonly port: EventStore;

  constructor(hash: ChainHasher) {
    this.log = new InMemoryLog(hash);
    this.port = asyncEventStore(this.log);
  }

  append(appends: StreamAppend[], options: AppendOptions): Promise<AppendResult> {
    return this.port.append(appends, options);
  }

  readStream(streamId: string, fromVersion?: number): Promise<RecordedEvent[]> {
    return this.port.readStream(streamId, fromVersion);
  }

  readAll(after?: number, limit?: number): Promise<RecordedEvent[]> {
    return this.port.readAll(after, limit);
  }

  lastPosition(): Promise<number> {
    return this.port.lastPosition();
  }

  streamInfo(streamId: string): Promise<StreamInfo> {
    return this.port.streamInfo(streamId);
  }
}
