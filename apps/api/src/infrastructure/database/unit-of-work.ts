import { AsyncLocalStorage } from 'node:async_hooks';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from './database';
import { isBusy } from './database-busy.error';
import { LockWaitQueue } from './lock-wait-queue';
import { isThenable, noop, settled } from './maybe-async';
import { TransactionSpannedTurnError } from './transaction-spanned-turn.error';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** One open transaction; `spanned` once it outlived the turn of the event loop it began in. */
interface Open {
  spanned: boolean;
  guard: NodeJS.Immediate | null;
  /** Writes only derived state: committed without an fsync (see `writeDerived`). */
  derived: boolean;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** How long SQLite itself may wait for the lock, holding the event loop, before the wait goes on asynchronously. */
export const LOCK_WAIT_IN_PLACE_MS = 5;

/**
 * One command, one SQLite transaction: read state, decide, append, project. `IMMEDIATE` takes the
 * write lock up front, so two processes never both read a version and then race to write it.
 *
 * Work may be asynchronous (`() => T | Promise<T>`): the ports a server database could stand behind
 * return promises. Every caller is answered after the COMMIT. One rule holds it together: SQLite has
 * one connection, shared with the readers of every request, so a transaction must never span a turn
 * of the event loop (a read would see rows that may yet roll back). The SQLite adapters settle in
 * microtasks, so work that awaits only them ends before any other callback runs. A transaction whose
 * work is still pending when a `setImmediate` armed at its start fires awaited something real: it is
 * rolled back there and then, and its callers fail with `TransactionSpannedTurnError` (what such
 * work writes after its wait runs outside any transaction: a bug to fix, never a path to rely on).
 * Work that returns a plain value commits in the same call, without a microtask.
 *
 * Group commit: `submit` queues a command and answers once it is durable. Commands queued in the
 * same turn of the event loop run in one transaction, each inside its own savepoint, so they share
 * one fsync of the log (synchronous=FULL) instead of paying one each. A command that throws rolls
 * back its savepoint alone; its neighbours still commit. Nobody is answered before the COMMIT.
 *
 * Nesting: `write` or `submit` called from within a transaction's work (a plan of commands that
 * commit together) runs in that transaction; the work's async context says so, not the connection's
 * state, since another request's microtask may run while the transaction awaits. Such a write from
 * outside waits for the transaction to end.
 *
 * Waiting for the lock: better-sqlite3 waits synchronously, which would freeze every request while
 * another process (a CLI, a backup tool) holds the write lock. Once serving, SQLite waits only
 * `LOCK_WAIT_IN_PLACE_MS`; `write` and `submit` then queue the command and retry it with backoff on
 * later turns, in arrival order, until the busy timeout, and then fail with `DatabaseBusyError`
 * (503). Reads never wait: WAL readers do not need the write lock. When the lock is free nothing is
 * added to the path: the command runs in the same turn, as before.
 */
export class UnitOfWork {
  private readonly rollbackListeners: (() => void)[] = [];
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly waiting: LockWaitQueue;
  private asyncWaits = false;
  /** The transaction open now, and the context its work runs in (to tell nested calls apart). */
  private open: Open | null = null;
  private readonly context = new AsyncLocalStorage<Open>();
  private groupCommitCount = 0;
  /** Writes from outside that arrived while a transaction was open: run when it ends. */
  private afterOpen: (() => void)[] = [];
  /** Prepared once: a statement costs microseconds to prepare, on every request. */
  private readonly sql: Record<
    'begin' | 'beginRead' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo',
    Statement
  >;

  constructor(
    private readonly db: Sqlite,
    private readonly busyTimeoutMs = 5000,
  ) {
    this.waiting = new LockWaitQueue(busyTimeoutMs);
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      beginRead: db.prepare('BEGIN'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT command'),
      release: db.prepare('RELEASE command'),
      rollbackTo: db.prepare('ROLLBACK TO command'),
    };
  }

  /** From now on a taken write lock is waited for asynchronously (see above); before, in place. */
  waitForLocksAsynchronously(): void {
    this.asyncWaits = true;
    this.db.pragma(`busy_timeout = ${Math.min(LOCK_WAIT_IN_PLACE_MS, this.busyTimeoutMs)}`);
  }

  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  /** One transaction for `work`; a taken write lock is waited for asynchronously, up to the busy timeout. */
  write<T>(work: () => T | Promise<T>): Promise<T> {
    return this.writeAs(work, false);
  }

  private writeAs<T>(work: () => T | Promise<T>, derived: boolean): Promise<T> {
    if (this.nested()) return settled(work);
    if (this.open) return this.later(() => this.writeAs(work, derived));
    if (this.waiting.empty()) {
      try {
        return Promise.resolve(this.transact(work, derived));
      } catch (e) {
        if (!this.asyncWaits || !isBusy(e)) return Promise.reject(e as Error);
      }
    }
    return new Promise<T>((resolve, reject) =>
      this.waitForLock(() => {
        const result = this.transact(work, derived);
        resolve(result);
        if (isThenable(result)) return Promise.resolve(result).then(noop, noop);
      }, reject),
    );
  }

  /**
   * `write` for work that only writes state derived from the log (a search index step, a slice of
   * formula recomputation) together with its own checkpoint. Its COMMIT does not fsync: losing it to
   * a power cut loses the step and its checkpoint together, and the step runs again after restart.
   * It is made durable by the next ordinary commit's fsync of the same WAL, so it never delays the
   * fsync an edit waits for by one of its own. Inside another transaction it is part of that one.
   */
  writeDerived<T>(work: () => T | Promise<T>): Promise<T> {
    return this.writeAs(work, true);
  }

  /**
   * From within a transaction's work: `work` in a savepoint of its own, so that when it throws only
   * what it wrote rolls back, and the transaction goes on.
   */
  async savepoint<T>(work: () => T | Promise<T>): Promise<T> {
    if (!this.nested()) throw new Error('a savepoint needs the transaction it is part of');
    this.sql.savepoint.run();
    let value: T;
    try {
      value = await work();
    } catch (error) {
      this.assertStillOpen();
      if (!this.db.inTransaction) throw error;
      this.sql.rollbackTo.run();
      this.sql.release.run();
      this.rolledBack();
      throw error;
    }
    this.assertStillOpen();
    this.sql.release.run();
    return value;
  }

  /** Queues `work` for the next group commit; resolves with its result after the COMMIT. */
  submit<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.nested()) return settled(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Group commits begun so far: a long job seeing it move knows that requests wrote meanwhile. */
  groupCommits(): number {
    return this.groupCommitCount;
  }

  /** True while commands wait for the next group commit (a long job lets them go first). */
  queued(): boolean {
    return this.queue.length > 0;
  }

  /**
   * For background work between two of its steps: a turn of the event loop, so that the requests
   * that arrived meanwhile are read, and more turns while commands are queued, so that they commit
   * before the next step (for at most `turns` turns: under a steady load something is always
   * queued, and the work must still move). An immediate rather than a timer: a timer waits at least
   * a millisecond even when nobody else is there.
   */
  async othersFirst(turns = Infinity): Promise<void> {
    let turn = 0;
    do await new Promise((resolve) => setImmediate(resolve));
    while (this.queued() && ++turn < turns);
  }

  /** Commits what is queued now (also on shutdown); synchronous when every queued command is. */
  flush(): void | Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const failAll = (error: unknown) => batch.forEach((item) => item.reject(error));
    if (this.open) return void this.later(() => this.commitBatch(batch)).catch(failAll);
    // Behind writes already waiting for the lock: keep the arrival order.
    if (!this.waiting.empty()) return this.waitForLock(() => this.commitBatch(batch), failAll);
    try {
      const done = this.commitBatch(batch);
      if (done) return done.catch(failAll);
    } catch (error) {
      if (this.asyncWaits && isBusy(error))
        this.waitForLock(() => this.commitBatch(batch), failAll);
      else failAll(error);
    }
  }

  /** A consistent snapshot for reads that span several statements (WAL readers see one commit). */
  read<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    this.sql.beginRead.run();
    try {
      return work();
    } finally {
      if (this.db.inTransaction) this.sql.commit.run();
    }
  }

  private nested(): boolean {
    return this.open !== null && this.context.getStore() === this.open;
  }

  private later<T>(start: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.afterOpen.push(() => {
        try {
          resolve(start());
        } catch (e) {
          reject(e);
        }
      }),
    );
  }

  /** Commits the batch and answers each; fails, with nobody answered, when the whole transaction did. */
  private commitBatch(batch: Pending[]): void | Promise<void> {
    this.groupCommitCount++;
    const outcomes: Outcome[] = [];
    const done = this.transact(() => this.runBatch(batch, 0, outcomes));
    const answer = () =>
      batch.forEach((item, i) => {
        const o = outcomes[i];
        if (o.ok) item.resolve(o.value);
        else item.reject(o.error);
      });
    if (!isThenable(done)) return answer();
    return Promise.resolve(done).then(answer);
  }

  /** Each command in its own savepoint, from `from` on; goes asynchronous at the first command that does. */
  private runBatch(batch: Pending[], from: number, outcomes: Outcome[]): void | Promise<void> {
    for (let i = from; i < batch.length; i++) {
      this.sql.savepoint.run();
      let value: unknown;
      try {
        value = batch[i].work();
      } catch (error) {
        this.undoSavepoint(error, outcomes);
        continue;
      }
      if (isThenable(value)) {
        const next = () => this.runBatch(batch, i + 1, outcomes);
        return Promise.resolve(value).then(
          (v) => {
            this.releaseSavepoint(v, outcomes);
            return next();
          },
          (error: unknown) => {
            this.undoSavepoint(error, outcomes);
            return next();
          },
        );
      }
      this.releaseSavepoint(value, outcomes);
    }
  }

  private releaseSavepoint(value: unknown, outcomes: Outcome[]): void {
    this.assertStillOpen();
    this.sql.release.run();
    outcomes.push({ ok: true, value });
  }

  /** Rolls back one command; when SQLite rolled back the whole transaction, the batch fails with it. */
  private undoSavepoint(error: unknown, outcomes: Outcome[]): void {
    this.assertStillOpen();
    if (!this.db.inTransaction) throw error;
    this.sql.rollbackTo.run();
    this.sql.release.run();
    this.rolledBack();
    outcomes.push({ ok: false, error });
  }

  /**
   * BEGIN IMMEDIATE, the work, COMMIT; ROLLBACK when any of it fails. Synchronous when the work is;
   * else the guard is armed and the answer is a promise. Throws a busy error before any work ran.
   */
  private transact<T>(work: () => T | Promise<T>, derived = false): T | Promise<T> {
    // The safety level cannot change inside a transaction: lowered before it, restored when it ends
    // (a pragma takes effect as it is prepared, so it cannot be a prepared statement run again).
    if (derived) this.db.pragma('synchronous = NORMAL');
    try {
      this.sql.begin.run();
    } catch (e) {
      if (derived) this.db.pragma('synchronous = FULL');
      throw e;
    }
    const open: Open = { spanned: false, guard: null, derived };
    this.open = open;
    // Armed before the work runs, so that it fires before any callback the work itself schedules.
    open.guard = setImmediate(() => this.spanned(open));
    let value: T | Promise<T>;
    try {
      value = this.context.run(open, work);
    } catch (e) {
      this.abort(open);
      throw e;
    }
    if (!isThenable(value)) {
      this.commit(open);
      return value;
    }
    return Promise.resolve(value).then(
      (v) => {
        this.commit(open);
        return v;
      },
      (e: unknown) => {
        this.abort(open);
        throw e;
      },
    );
  }

  private commit(open: Open): void {
    if (open.spanned) throw new TransactionSpannedTurnError();
    try {
      this.sql.commit.run();
    } catch (e) {
      this.abort(open);
      throw e;
    }
    this.closed(open);
  }

  private abort(open: Open): void {
    if (open.spanned) throw new TransactionSpannedTurnError();
    if (this.db.inTransaction) this.sql.rollback.run();
    this.rolledBack();
    this.closed(open);
  }

  /** The guard: the work is still pending a turn later. Roll back now, before anyone reads. */
  private spanned(open: Open): void {
    if (this.open !== open) return;
    open.guard = null;
    this.abort(open);
    open.spanned = true;
  }

  /** Called in a command's continuation: after the guard fired, nothing more may run in its name. */
  private assertStillOpen(): void {
    const open = this.context.getStore();
    if (!open || open.spanned || this.open !== open) throw new TransactionSpannedTurnError();
  }

  private closed(open: Open): void {
    if (open.derived) this.db.pragma('synchronous = FULL');
    if (open.guard) clearImmediate(open.guard);
    open.guard = null;
    if (this.open === open) this.open = null;
    if (this.afterOpen.length === 0) return;
    const next = this.afterOpen;
    this.afterOpen = [];
    // One at a time: the first may open a transaction again, and the rest then wait for it.
    for (let i = 0; i < next.length; i++) {
      if (this.open) {
        this.afterOpen.push(...next.slice(i));
        return;
      }
      next[i]();
    }
  }

  private waitForLock(attempt: () => void | Promise<void>, fail: (error: unknown) => void): void {
    this.waiting.add(attempt, fail);
  }

  private rolledBack(): void {
    for (const l of this.rollbackListeners) l();
  }
}
