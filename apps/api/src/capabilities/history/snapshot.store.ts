import {
  type BaseState,
  evolveBase,
  initialBaseState,
  type RecordNow,
  type RestoreThen,
} from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';
import { BlobParts } from '../../infrastructure/database/blob-parts';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { runInWorker, workerEntry } from '../../infrastructure/workers/worker-thread';
import {
  compared,
  decode,
  encode,
  idOf,
  materialise,
  type Snapshot,
  split,
  unzip,
  unzipSync,
} from './snapshot.codec';
import { SnapshotIndex, SnapshotRecords } from './snapshot-records';

/** Events per read while replaying: small enough that a batch dies young instead of being copied by the collector. */
const BATCH = 2_000;

/** A snapshot unzipped, split into its head and lines, and its records indexed by id. */
interface Opened {
  position: number;
  snapshot: Omit<Snapshot, 'records'>;
  index: SnapshotIndex;
}

/** A snapshot as stored: still compressed, with the format to decode it by. */
export interface StoredSnapshot {
  position: number;
  format: number;
  data: Buffer;
}

/** A snapshot built and encoded, ready to be stored. */
export interface BuiltSnapshot extends StoredSnapshot {
  records: number;
}

/**
 * The base at any log position: the nearest snapshot at or before it, plus a replay of the events
 * after the snapshot. A snapshot is taken every `every` events (see the benchmark for the choice).
 */
export class SnapshotStore {
  private readonly nearest: Statement;
  private readonly latest: Statement;
  private readonly insert: Statement;
  private readonly parts: BlobParts;
  private readonly positions: Statement;
  private readonly recordsTouched: Statement;
  private readonly fieldRemoved: Statement;
  /** The build under way off the main thread, so that the minute job and a preview share it. */
  private building: Promise<number | null> | null = null;
  /** The last snapshot opened, when kept (see keepingLastOpened). */
  private keep = false;
  private opened: Opened | null = null;
  private readonly nearestPosition: Statement;
  /** The save under way: saves in parts run one after another. */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Sqlite,
    private readonly store: SqliteEventStore,
    readonly every = 10_000,
    /**
     * `uow` writes the parts of a snapshot built in the background, others' requests served
     * between; without it (a read-only connection) a snapshot is saved whole.
     */
    private readonly writing: { uow?: UnitOfWork; partBytes?: number } = {},
  ) {
    this.nearest = db.prepare(
      'SELECT position, format, data, parts FROM snapshots WHERE position <= ? ORDER BY position DESC LIMIT 1',
    );
    this.nearestPosition = db
      .prepare('SELECT position FROM snapshots WHERE position <= ? ORDER BY position DESC LIMIT 1')
      .pluck();
    this.parts = new BlobParts(db);
    this.positions = db.prepare('SELECT position FROM snapshots').pluck();
    this.latest = db.prepare('SELECT MAX(position) AS position FROM snapshots');
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO snapshots (position, created_at, format, records, size, data, parts) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.recordsTouched = db
      .prepare(
        `SELECT DISTINCT substr(stream_id, 8) FROM events WHERE position > ? AND position <= ? AND stream_id LIKE 'record-%'`,
      )
      .pluck();
    this.fieldRemoved = db
      .prepare(
        `SELECT 1 FROM events WHERE position > ? AND position <= ? AND type = 'FieldRemoved' LIMIT 1`,
      )
      .pluck();
  }

  /** The base at a position; its records are built from the snapshot's text as they are read (SnapshotRecords). */
  stateAt(position: number): BaseState {
    const opened = this.openedAt(position);
    const state = opened
      ? {
          position: opened.snapshot.position,
          tables: byId(opened.snapshot.tables),
          views: byId(opened.snapshot.views),
          records: new SnapshotRecords(opened.index),
        }
      : initialBaseState();
    return this.replay(state, position);
  }

  /**
   * Keeps the last snapshot opened by stateAt (unzipped and split into lines; never changed by a
   * read), for a reader that asks for moments near each other: a view as of a date read page by
   * page. Only for a connection that lives while its reader asks (a served worker thread).
   */
  keepingLastOpened(): this {
    this.keep = true;
    return this;
  }

  /** The nearest snapshot at or before a position, unzipped, split and indexed (the one kept, if it is that one). */
  private openedAt(position: number): Opened | null {
    const kept = this.opened;
    if (kept) {
      const at = (this.nearestPosition.get(position) as number | undefined) ?? null;
      if (at !== null && at === kept.position) return kept;
    }
    const stored = this.nearestAt(position);
    if (!stored) return null;
    const snapshot = split(stored.format, unzipSync(stored.data));
    const opened = {
      position: stored.position,
      snapshot: { position: snapshot.position, tables: snapshot.tables, views: snapshot.views },
      index: SnapshotIndex.of(snapshot),
    };
    if (this.keep) this.opened = opened;
    return opened;
  }

  /**
   * The base at a position as a restore compares it: the same records as stateAt, in the same
   * order, but those that no event after the snapshot touched stay unparsed (see StoredRecord).
   */
  thenAt(position: number): RestoreThen {
    const stored = this.nearestAt(position);
    return this.thenFrom(
      position,
      stored && { format: stored.format, unzipped: unzipSync(stored.data) },
    );
  }

  /**
   * The nearest snapshot at or before a position, still compressed, so that a caller can unzip it
   * off the main thread (unzip) and hand it to thenFrom.
   */
  nearestAt(position: number): StoredSnapshot | null {
    const row = this.nearest.get(position) as (StoredSnapshot & { parts: number }) | undefined;
    if (!row) return null;
    const { parts, ...stored } = row;
    if (parts === 0) return stored;
    return { ...stored, data: this.parts.read(ownerOf(row.position)) };
  }

  /** A snapshot's data unzipped in the thread pool, for thenFrom. */
  unzip(stored: StoredSnapshot): Promise<Buffer> {
    return unzip(stored.data);
  }

  /** thenAt, from the nearest snapshot at or before the position already unzipped (null when there is none). */
  thenFrom(position: number, snapshot: { format: number; unzipped: Buffer } | null): RestoreThen {
    if (!snapshot) return this.stateAt(position);
    const snap = decode(snapshot.format, snapshot.unzipped);
    // A removed field leaves every record of its table without a record event: then all are replayed.
    const everything = this.fieldRemoved.get(snap.position, position) !== undefined;
    const touched = new Set(
      everything ? [] : (this.recordsTouched.all(snap.position, position) as string[]),
    );
    const state: BaseState = {
      position: snap.position,
      tables: byId(snap.tables),
      views: byId(snap.views),
      records: new Map(),
    };
    for (const r of snap.records)
      if (everything || touched.has(idOf(r))) state.records.set(idOf(r), materialise(r));
    this.replay(state, position);
    const records = new Map<string, RecordNow>();
    for (const r of snap.records) records.set(idOf(r), state.records.get(idOf(r)) ?? compared(r));
    for (const [id, r] of state.records) if (!records.has(id)) records.set(id, r);
    return { tables: state.tables, views: state.views, records };
  }

  /** Takes a snapshot at the head when the last one is `every` events behind. Returns its position, or null. */
  maybeSnapshot(now: string): number | null {
    const head = this.dueAt();
    return head === null ? null : this.snapshot(head, now);
  }

  /**
   * maybeSnapshot with the build in a worker thread on its own read-only connection (the build of a
   * large base takes over a second; the server keeps answering meanwhile). Only the insert of the
   * finished snapshot runs here. A build already under way is shared, not started twice.
   */
  maybeSnapshotInBackground(now: string): Promise<number | null> {
    if (this.building) return this.building;
    const head = this.dueAt();
    if (head === null) return Promise.resolve(null);
    this.building = this.snapshotInBackground(head, now).finally(() => (this.building = null));
    return this.building;
  }

  snapshot(position: number, now: string): number {
    return this.save(this.build(position), now);
  }

  /** snapshot, built in a worker thread (inline for an in-memory base, which no other connection can open). */
  async snapshotInBackground(position: number, now: string): Promise<number> {
    if (this.db.memory) return this.snapshot(position, now);
    const built = await runInWorker<BuiltSnapshot>(
      workerEntry(__dirname, 'snapshot-build.worker'),
      {
        file: this.db.name,
        position,
      },
    );
    // A buffer comes out of a thread as a plain Uint8Array; the driver binds only a Buffer as a blob.
    const data = Buffer.from(built.data.buffer, built.data.byteOffset, built.data.byteLength);
    return this.saveInParts({ ...built, data }, now);
  }

  /**
   * Stores a snapshot in parts of PART_BYTES, each in a transaction of its own that others' requests
   * go before, and its row last. A snapshot is derived from the log: its writes do not fsync (see
   * writeDerived), and one cut short by a crash is left out and built again.
   */
  private saveInParts(built: BuiltSnapshot, now: string): Promise<number> {
    // One at a time: the first part of a save clears what an earlier one left unfinished.
    const saved = this.saving.then(() => this.writeParts(built, now));
    this.saving = saved.catch(() => undefined);
    return saved;
  }

  private async writeParts(built: BuiltSnapshot, now: string): Promise<number> {
    const { uow, partBytes } = this.writing;
    if (!uow) return this.save(built, now);
    await uow.writeDerived(() => this.dropStrays(now));
    const owner = ownerOf(built.position);
    const count = await this.parts.write(uow, owner, built.data, now, { derived: true, partBytes });
    await uow.othersFirst();
    await uow.writeDerived(() => this.save(built, now, count));
    return built.position;
  }

  /** Parts of snapshots whose row was never written (the process stopped between). */
  private dropStrays(now: string): void {
    const kept = new Set((this.positions.all() as number[]).map(ownerOf));
    for (const owner of this.parts.ownersBefore(SNAPSHOT_OWNER, now))
      if (!kept.has(owner)) this.parts.drop(owner);
  }

  /**
   * The base at a position, encoded for storage: the read-only half of a snapshot. It is stored at
   * the position its replay reached, which is the one asked for whenever that position is committed.
   */
  build(position: number): BuiltSnapshot {
    const state = this.stateAt(position);
    return { position: state.position, ...encode(state), records: state.records.size };
  }

  /** The snapshot's row; with `parts`, its bytes are already in snapshot_parts and the row holds none. */
  private save(built: BuiltSnapshot, now: string, parts = 0): number {
    const data = parts === 0 ? built.data : Buffer.alloc(0);
    this.insert.run(
      built.position,
      now,
      built.format,
      built.records,
      built.data.length,
      data,
      parts,
    );
    return built.position;
  }

  /** The head, when the last snapshot is `every` events behind it; null otherwise. */
  private dueAt(): number | null {
    const head = this.store.lastPosition();
    const last = (this.latest.get() as { position: number | null }).position ?? 0;
    return head - last < this.every ? null : head;
  }

  stats(): { count: number; bytes: number; latest: number | null } {
    const r = this.db
      .prepare(
        'SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes, MAX(position) AS latest FROM snapshots',
      )
      .get() as { count: number; bytes: number; latest: number | null };
    return r;
  }

  private replay(state: BaseState, position: number): BaseState {
    // Positions are contiguous, so a limit of (target - current) never reads past the target.
    while (state.position < position) {
      const events = this.store.readForReplay(
        state.position,
        Math.min(BATCH, position - state.position),
      );
      if (events.length === 0) break;
      for (const e of events) state = evolveBase(state, e);
    }
    return state;
  }
}

const SNAPSHOT_OWNER = 'snapshot:';
const ownerOf = (position: number) => `${SNAPSHOT_OWNER}${position}`;

function byId<T extends { id: string }>(list: T[]): Map<string, T> {
  return new Map(list.map((x) => [x.id, x]));
}
