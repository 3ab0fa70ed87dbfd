import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzipSync, ZlibOptions } from 'node:zlib';
import { BaseState, evolveBase, initialBaseState, RecordNow, RecordState, RestoreThen, TableState, ViewState } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { Sqlite } from '../../infrastructure/database/database';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { StoredRecord } from './stored-record';

/**
 * Format 2 keeps each record's values and stamps as JSON text inside the snapshot, so that a restore
 * can leave the records it only compares unparsed. Format 1 (whole records as objects) is still read.
 */
const FORMAT = 2;
/** Events per read while replaying: small enough that a batch dies young instead of being copied by the collector. */
const BATCH = 2_000;

type StoredEntry = [id: string, table_id: string, version: number, archived: 0 | 1, values: string, stamps: string];
type SnapshotRecord = StoredEntry | RecordState;

interface Snapshot {
  position: number;
  tables: TableState[];
  views: ViewState[];
  records: SnapshotRecord[];
}

const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzip);

/**
 * Output in one chunk the size the gzip trailer gives (the size modulo 2^32; only a hint, a wrong
 * one costs more chunks): no copying of thousands of 16 KB chunks into one buffer, and an
 * asynchronous unzip is one task in the thread pool instead of one per chunk, each of which would
 * wait for the main thread to hand out the next.
 */
const inOneChunk = (gz: Buffer): ZlibOptions => ({ chunkSize: Math.min(2 ** 30, Math.max(64 * 1024, gz.length >= 4 ? gz.readUInt32LE(gz.length - 4) : 0)) });
const unzipSync = (gz: Buffer) => gunzipSync(gz, inOneChunk(gz));

const idOf = (r: SnapshotRecord) => (Array.isArray(r) ? r[0] : r.id);

function materialise(r: SnapshotRecord): RecordState {
  if (!Array.isArray(r)) return r;
  const [created_at, created_by, updated_at, updated_by, cells] = JSON.parse(r[5]) as [string, string, string, string, RecordState['cells']];
  return { id: r[0], table_id: r[1], values: JSON.parse(r[4]) as RecordState['values'], archived: r[3] === 1, version: r[2], created_at, created_by, updated_at, updated_by, cells };
}

const compared = (r: SnapshotRecord): RecordNow => (Array.isArray(r) ? new StoredRecord(r[0], r[1], r[2], r[3] === 1, r[4]) : r);

/**
 * The base at any log position: the nearest snapshot at or before it, plus a replay of the events
 * after the snapshot. A snapshot is taken every `every` events (see the benchmark for the choice).
 */
export class SnapshotStore {
  private readonly nearest: Statement;
  private readonly latest: Statement;
  private readonly insert: Statement;
  private readonly recordsTouched: Statement;
  private readonly fieldRemoved: Statement;

  constructor(private readonly db: Sqlite, private readonly store: SqliteEventStore, readonly every = 20_000) {
    this.nearest = db.prepare('SELECT position, data FROM snapshots WHERE position <= ? ORDER BY position DESC LIMIT 1');
    this.latest = db.prepare('SELECT MAX(position) AS position FROM snapshots');
    this.insert = db.prepare('INSERT OR IGNORE INTO snapshots (position, created_at, format, records, size, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.recordsTouched = db.prepare(`SELECT DISTINCT substr(stream_id, 8) FROM events WHERE position > ? AND position <= ? AND stream_id LIKE 'record-%'`).pluck();
    this.fieldRemoved = db.prepare(`SELECT 1 FROM events WHERE position > ? AND position <= ? AND type = 'FieldRemoved' LIMIT 1`).pluck();
  }

  stateAt(position: number): BaseState {
    const snap = this.snapshotAt(position);
    const state = snap ? { position: snap.position, tables: byId(snap.tables), views: byId(snap.views), records: new Map(snap.records.map((r) => [idOf(r), materialise(r)])) } : initialBaseState();
    return this.replay(state, position);
  }

  /**
   * The base at a position as a restore compares it: the same records as stateAt, in the same
   * order, but those that no event after the snapshot touched stay unparsed (see StoredRecord).
   */
  thenAt(position: number): RestoreThen {
    const stored = this.nearestAt(position);
    return this.thenFrom(position, stored && unzipSync(stored.data));
  }

  /**
   * The nearest snapshot at or before a position, still compressed, so that a caller can unzip it
   * off the main thread (unzip) and hand it to thenFrom.
   */
  nearestAt(position: number): { position: number; data: Buffer } | null {
    return (this.nearest.get(position) as { position: number; data: Buffer } | undefined) ?? null;
  }

  /** A snapshot's data unzipped in the thread pool, for thenFrom. */
  unzip(data: Buffer): Promise<Buffer> {
    return gunzipAsync(data, inOneChunk(data));
  }

  /** thenAt, from the nearest snapshot at or before the position already unzipped (null when there is none). */
  thenFrom(position: number, unzipped: Buffer | null): RestoreThen {
    if (!unzipped) return this.stateAt(position);
    const snap = JSON.parse(unzipped.toString('utf8')) as Snapshot;
    // A removed field leaves every record of its table without a record event: then all are replayed.
    const everything = this.fieldRemoved.get(snap.position, position) !== undefined;
    const touched = new Set(everything ? [] : (this.recordsTouched.all(snap.position, position) as string[]));
    const state: BaseState = { position: snap.position, tables: byId(snap.tables), views: byId(snap.views), records: new Map() };
    for (const r of snap.records) if (everything || touched.has(idOf(r))) state.records.set(idOf(r), materialise(r));
    this.replay(state, position);
    const records = new Map<string, RecordNow>();
    for (const r of snap.records) records.set(idOf(r), state.records.get(idOf(r)) ?? compared(r));
    for (const [id, r] of state.records) if (!records.has(id)) records.set(id, r);
    return { tables: state.tables, views: state.views, records };
  }

  /** Takes a snapshot at the head when the last one is `every` events behind. Returns its position, or null. */
  maybeSnapshot(now: string): number | null {
    const head = this.store.lastPosition();
    const last = (this.latest.get() as { position: number | null }).position ?? 0;
    if (head - last < this.every) return null;
    return this.snapshot(head, now);
  }

  snapshot(position: number, now: string): number {
    const state = this.stateAt(position);
    const data = encode(state);
    this.insert.run(position, now, FORMAT, state.records.size, data.length, data);
    return position;
  }

  stats(): { count: number; bytes: number; latest: number | null } {
    const r = this.db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes, MAX(position) AS latest FROM snapshots').get() as { count: number; bytes: number; latest: number | null };
    return r;
  }

  private snapshotAt(position: number): Snapshot | null {
    const row = this.nearestAt(position);
    return row ? (JSON.parse(unzipSync(row.data).toString('utf8')) as Snapshot) : null;
  }

  private replay(state: BaseState, position: number): BaseState {
    // Positions are contiguous, so a limit of (target - current) never reads past the target.
    while (state.position < position) {
      const events = this.store.readForReplay(state.position, Math.min(BATCH, position - state.position));
      if (events.length === 0) break;
      for (const e of events) state = evolveBase(state, e);
    }
    return state;
  }
}

function byId<T extends { id: string }>(list: T[]): Map<string, T> {
  return new Map(list.map((x) => [x.id, x]));
}

function encode(s: BaseState): Buffer {
  const records = [...s.records.values()].map((r): StoredEntry => [r.id, r.table_id, r.version, r.archived ? 1 : 0, JSON.stringify(r.values), JSON.stringify([r.created_at, r.created_by, r.updated_at, r.updated_by, r.cells])]);
  const snapshot: Snapshot = { position: s.position, tables: [...s.tables.values()], views: [...s.views.values()], records };
  return gzipSync(JSON.stringify(snapshot), { level: 1 });
}
