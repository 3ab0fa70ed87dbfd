import { gunzipSync, gzipSync } from 'node:zlib';
import { BaseState, evolveBase, initialBaseState } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { Sqlite } from '../../infrastructure/database/database';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';

const FORMAT = 1;

/**
 * The base at any log position: the nearest snapshot at or before it, plus a replay of the events
 * after the snapshot. A snapshot is taken every `every` events (see the benchmark for the choice).
 */
export class SnapshotStore {
  private readonly nearest: Statement;
  private readonly latest: Statement;
  private readonly insert: Statement;

  constructor(private readonly db: Sqlite, private readonly store: SqliteEventStore, readonly every = 100_000) {
    this.nearest = db.prepare('SELECT position, data FROM snapshots WHERE position <= ? ORDER BY position DESC LIMIT 1');
    this.latest = db.prepare('SELECT MAX(position) AS position FROM snapshots');
    this.insert = db.prepare('INSERT OR IGNORE INTO snapshots (position, created_at, format, records, size, data) VALUES (?, ?, ?, ?, ?, ?)');
  }

  stateAt(position: number): BaseState {
    const row = this.nearest.get(position) as { position: number; data: Buffer } | undefined;
    let state = row ? decode(row.data) : initialBaseState();
    // Positions are contiguous, so a limit of (target - current) never reads past the target.
    while (state.position < position) {
      const events = this.store.readForReplay(state.position, Math.min(20_000, position - state.position));
      if (events.length === 0) break;
      for (const e of events) state = evolveBase(state, e);
    }
    return state;
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
}

function encode(s: BaseState): Buffer {
  const json = JSON.stringify({ position: s.position, tables: [...s.tables.values()], records: [...s.records.values()], views: [...s.views.values()] });
  return gzipSync(json, { level: 1 });
}

function decode(data: Buffer): BaseState {
  const o = JSON.parse(gunzipSync(data).toString('utf8')) as { position: number; tables: BaseState['tables'] extends Map<string, infer T> ? T[] : never; records: BaseState['records'] extends Map<string, infer R> ? R[] : never; views: BaseState['views'] extends Map<string, infer V> ? V[] : never };
  return {
    position: o.position,
    tables: new Map(o.tables.map((t) => [t.id, t])),
    records: new Map(o.records.map((r) => [r.id, r])),
    views: new Map(o.views.map((v) => [v.id, v])),
  };
}
