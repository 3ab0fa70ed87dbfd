import { type RecordedEvent } from '@crm/events';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../database/database';
import { type SqliteEventStore } from '../event-store/sqlite-event-store';
import { type Projector } from './projector';

/** Events read per query during a replay, and events between two turns given back to the event loop. */
const REPLAY_BATCH = 2_000;
const YIELD_EVERY = 20_000;

/**
 * Runs projectors inline in the append's transaction and keeps each one's checkpoint in the same
 * transaction, so that a crash can neither double-apply nor skip an event. `catchUp` replays from a
 * checkpoint (start-up, new projectors, or an asynchronous runner on a server database); `rebuild`
 * truncates and replays everything.
 */
export class ProjectionRunner {
  private readonly getCheckpoint: Statement;
  private readonly setCheckpoint: Statement;
  private readonly allCheckpoints: Statement;
  private setAllCheckpoints: Statement | null = null;
  readonly projectors: Projector[] = [];

  constructor(
    private readonly db: Sqlite,
    private readonly store: SqliteEventStore,
    projectors: Projector[] = [],
  ) {
    this.getCheckpoint = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?');
    this.setCheckpoint = db.prepare(
      'INSERT INTO projection_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
    // Every append reads and moves every projector's checkpoint: one statement each way, not two per projector.
    this.allCheckpoints = db.prepare('SELECT name, position FROM projection_checkpoints').raw(true);
    for (const p of projectors) this.register(p);
    store.onAppend((events) => this.applyInline(events));
  }

  /**
   * Adds a read model; each capability registers its own projectors when its module starts, before
   * the first catch-up. The order of registration is the order in which they see each event.
   */
  register(projector: Projector): void {
    if (this.projectors.some((p) => p.name === projector.name))
      throw new Error(`a projector named ${projector.name} is registered already`);
    this.projectors.push(projector);
    this.setAllCheckpoints = null;
  }

  checkpoint(name: string): number {
    return (this.getCheckpoint.get(name) as { position: number } | undefined)?.position ?? 0;
  }

  private applyInline(events: RecordedEvent[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const checkpoints = new Map(this.allCheckpoints.all() as [string, number][]);
    for (const p of this.projectors) {
      const done = checkpoints.get(p.name) ?? 0;
      for (const e of events) if (e.position > done) p.apply(e);
      if (last > done) p.afterBatch?.(events[events.length - 1]);
    }
    this.setAllCheckpoints ??= this.db.prepare(
      `INSERT INTO projection_checkpoints (name, position) VALUES ${this.projectors.map(() => '(?, ?)').join(', ')}
      ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.setAllCheckpoints.run(this.projectors.flatMap((p) => [p.name, last]));
  }

  /** Applies what each projector has not seen yet. Returns the number of events applied. */
  catchUp(batch = 5000): number {
    let applied = 0;
    const head = this.store.lastPosition();
    for (const p of this.projectors) {
      let from = this.checkpoint(p.name);
      while (from < head) {
        this.db.transaction(() => {
          const events = this.store.readAll(from, batch);
          for (const e of events) p.apply(e);
          if (events.length) p.afterBatch?.(events[events.length - 1]);
          from = events.length ? events[events.length - 1].position : head;
          this.setCheckpoint.run(p.name, from);
          applied += events.length;
        })();
      }
    }
    return applied;
  }

  /** Truncates every read model and replays the whole log, in one transaction. */
  rebuild(): { events: number; position: number } {
    return this.db.transaction(() => {
      const steps = this.rebuildSteps();
      for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
    })();
  }

  /**
   * The same rebuild, yielding to the event loop between batches so a server stays responsive during
   * a long replay. For scratch databases no one else writes to: its transaction spans those turns.
   */
  async rebuildInSteps(
    nextTurn: () => Promise<void>,
  ): Promise<{ events: number; position: number }> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const steps = this.rebuildSteps();
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) {
          this.db.exec('COMMIT');
          return step.value;
        }
        await nextTurn();
      }
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Reset, bulk mode, every event in order, then checkpoints; yields after each batch. */
  private *rebuildSteps(): Generator<void, { events: number; position: number }> {
    for (const p of [...this.projectors].reverse()) p.reset();
    for (const p of this.projectors) p.beginBulk?.();
    const projectors = this.projectors;
    let count = 0;
    let position = 0;
    let sinceYield = 0;
    let last: RecordedEvent | undefined;
    // Batches, not an open cursor: better-sqlite3 cannot write while a statement iterates. Small
    // ones, so that a batch's events die young instead of outgrowing the young generation and being
    // copied into the old one by every scavenge.
    for (
      let events = this.store.readForReplay(0, REPLAY_BATCH);
      events.length;
      events = this.store.readForReplay(position, REPLAY_BATCH)
    ) {
      for (let i = 0; i < events.length; i++)
        for (let k = 0; k < projectors.length; k++) projectors[k].apply(events[i]);
      count += events.length;
      last = events[events.length - 1];
      position = last.position;
      sinceYield += events.length;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        yield;
      }
    }
    for (const p of this.projectors) p.endBulk?.();
    if (last) for (const p of this.projectors) p.afterBatch?.(last);
    for (const p of this.projectors) this.setCheckpoint.run(p.name, position);
    return { events: count, position };
  }

  /** True when every projector has applied the whole log. */
  atHead(): boolean {
    const head = this.store.lastPosition();
    return this.projectors.every((p) => this.checkpoint(p.name) === head);
  }
}
