import { type RecordedEvent } from '@crm/events';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../database/database';
import { type SqliteEventStore } from '../event-store/sqlite-event-store';
import { type Projector } from './projector';

/** Events read per query during a replay, and events between two turns given back to the event loop. */
const REPLAY_BATCH = 2_000;
const YIELD_EVERY = 20_000;

/**
 * Runs projectors inline in the append's transaction, so that a crash can neither double-apply nor
 * skip an event. The command executor calls `applyInline` right after each append; `catchUp`
 * replays from a checkpoint (start-up, new projectors, or an asynchronous runner on a server
 * database); `rebuild` truncates and replays everything. Projectors take a run of events per call:
 * one await per batch, never per event.
 *
 * A projector that has caught up follows the log: every append applies to it in the append's own
 * transaction, so its checkpoint is the log's head and is not written again on each commit (a page
 * of every commit's WAL write). Its row says `follows_log`; only a projector behind the head (new,
 * or set back by a migration) has a position of its own, written in the transaction that moves it.
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
    this.getCheckpoint = db.prepare(
      'SELECT position, follows_log FROM projection_checkpoints WHERE name = ?',
    );
    this.setCheckpoint = db.prepare(
      'INSERT INTO projection_checkpoints (name, position, follows_log) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, follows_log = excluded.follows_log',
    );
    // Every append reads every projector's row: one statement, not one per projector.
    this.allCheckpoints = db
      .prepare('SELECT name, position, follows_log FROM projection_checkpoints')
      .raw(true);
    for (const p of projectors) this.register(p);
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

  /** The last position the projector has applied: the log's head for one that follows it. */
  checkpoint(name: string): number {
    const row = this.getCheckpoint.get(name) as
      { position: number; follows_log: number } | undefined;
    if (!row) return 0;
    return row.follows_log === 1 ? this.store.lastPosition() : row.position;
  }

  private follows(name: string): boolean {
    return (this.getCheckpoint.get(name) as { follows_log: number } | undefined)?.follows_log === 1;
  }

  /**
   * The events one append wrote, through every projector, in the append's transaction (the caller's):
   * a command reads its own writes, and a failure rolls the append back with them. A projector that
   * follows the log takes them all and writes nothing more; one with a position of its own takes
   * those after it, and follows the log from then on (the row is written in this transaction).
   */
  async applyInline(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0 || this.projectors.length === 0) return;
    const last = events[events.length - 1];
    const rows = new Map(
      (this.allCheckpoints.all() as [string, number, number][]).map((r) => [r[0], r]),
    );
    let moved: Projector[] | null = null;
    for (const p of this.projectors) {
      const row = rows.get(p.name);
      const done = row?.[2] === 1 ? events[0].position - 1 : (row?.[1] ?? 0);
      if (last.position <= done) continue;
      await p.apply(events[0].position > done ? events : events.filter((e) => e.position > done));
      if (p.afterBatch) await p.afterBatch(last);
      if (row?.[2] !== 1) (moved ??= []).push(p);
    }
    if (!moved) return;
    if (moved.length === this.projectors.length) {
      this.setAllCheckpoints ??= this.db.prepare(
        `INSERT INTO projection_checkpoints (name, position, follows_log) VALUES ${this.projectors.map(() => '(?, ?, 1)').join(', ')}
        ON CONFLICT (name) DO UPDATE SET position = excluded.position, follows_log = 1`,
      );
      this.setAllCheckpoints.run(this.projectors.flatMap((p) => [p.name, last.position]));
    } else for (const p of moved) this.setCheckpoint.run(p.name, last.position, 1);
  }

  /** Applies what each projector has not seen yet, a transaction per batch. Returns the number of events applied. */
  async catchUp(batch = 5000): Promise<number> {
    let applied = 0;
    const head = this.store.lastPosition();
    for (const p of this.projectors) {
      let from = this.checkpoint(p.name);
      while (from < head) {
        await this.inTransaction(async () => {
          const events = this.store.readAll(from, batch);
          if (events.length) {
            await p.apply(events);
            if (p.afterBatch) await p.afterBatch(events[events.length - 1]);
          }
          from = events.length ? events[events.length - 1].position : head;
          // At the head (read in this transaction), it follows the log from here on.
          const atHead = from >= this.store.lastPosition() ? 1 : 0;
          this.setCheckpoint.run(p.name, from, atHead);
          applied += events.length;
        });
      }
      // At the head already but not marked (a new projector on an empty log, or a row written
      // before projectors followed the log): marked once.
      if (from >= head && !this.follows(p.name))
        await this.inTransaction(async () => {
          if (from >= this.store.lastPosition()) this.setCheckpoint.run(p.name, from, 1);
        });
    }
    return applied;
  }

  /** Truncates every read model and replays the whole log, in one transaction. */
  rebuild(): Promise<{ events: number; position: number }> {
    return this.inTransaction(() => this.replay(async () => undefined));
  }

  /**
   * The same rebuild, yielding to the event loop between batches so a server stays responsive during
   * a long replay. For scratch databases no one else reads or writes: its transaction spans those turns.
   */
  rebuildInSteps(nextTurn: () => Promise<void>): Promise<{ events: number; position: number }> {
    return this.inTransaction(() => this.replay(nextTurn));
  }

  /** Reset, bulk mode, every event in order, then checkpoints; `between` runs after each stretch of batches. */
  private async replay(
    between: () => Promise<void>,
  ): Promise<{ events: number; position: number }> {
    for (const p of [...this.projectors].reverse()) await p.reset();
    for (const p of this.projectors) await p.beginBulk?.();
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
      for (let k = 0; k < projectors.length; k++) await projectors[k].apply(events);
      count += events.length;
      last = events[events.length - 1];
      position = last.position;
      sinceYield += events.length;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await between();
      }
    }
    for (const p of this.projectors) await p.endBulk?.();
    if (last) for (const p of this.projectors) await p.afterBatch?.(last);
    for (const p of this.projectors) this.setCheckpoint.run(p.name, position, 1);
    return { events: count, position };
  }

  /**
   * A transaction around `work` (a savepoint inside the caller's), rolled back when it fails. Not the
   * unit of work's: a replay on a scratch database may span turns, and it runs before anyone serves.
   */
  private async inTransaction<T>(work: () => Promise<T>): Promise<T> {
    const outer = this.db.inTransaction;
    this.db.exec(outer ? 'SAVEPOINT replay' : 'BEGIN IMMEDIATE');
    try {
      const value = await work();
      this.db.exec(outer ? 'RELEASE replay' : 'COMMIT');
      return value;
    } catch (e) {
      if (this.db.inTransaction)
        this.db.exec(outer ? 'ROLLBACK TO replay; RELEASE replay' : 'ROLLBACK');
      throw e;
    }
  }

  /** True when every projector has applied the whole log. */
  atHead(): boolean {
    const head = this.store.lastPosition();
    return this.projectors.every((p) => this.checkpoint(p.name) === head);
  }
}
