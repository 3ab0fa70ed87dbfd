import type { Transaction } from 'better-sqlite3';
import { type Sqlite } from './database';
import { DatabaseBusyError, isBusy } from './database-busy.error';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A write that found the lock taken by another process: tried again on later turns until it commits or times out. */
interface Waiting {
  /** Runs the write; throws a busy error when the lock is still taken (then nobody has been answered). */
  attempt: () => void;
  since: number;
  fail: (error: unknown) => void;
}

/** How long SQLite itself may wait for the lock, holding the event loop, before the wait goes on asynchronously. */
export const LOCK_WAIT_IN_PLACE_MS = 5;
const RETRY_FIRST_MS = 5;
const RETRY_MAX_MS = 50;

/**
 * One command, one SQLite transaction: read state, decide, append, project. `IMMEDIATE` takes the
 * write lock up front, so two processes never both read a version and then race to write it.
 *
 * Group commit: `submit` queues a command and answers once it is durable. Commands queued in the
 * same turn of the event loop run in one transaction, each inside its own savepoint, so they share
 * one fsync of the log (synchronous=FULL) instead of paying one each. A command that throws rolls
 * back its savepoint alone; its neighbours still commit. Nobody is answered before the COMMIT.
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
  private waiting: Waiting[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = RETRY_FIRST_MS;
  private asyncWaits = false;
  /**
   * Made once: better-sqlite3 builds a transaction function's wrappers each time one is made, which
   * cost ~17 us a request when each call made its own. Called inside a transaction, it is a savepoint.
   */
  private readonly inTransaction: Transaction<(work: () => unknown) => unknown>;

  constructor(
    private readonly db: Sqlite,
    private readonly busyTimeoutMs = 5000,
  ) {
    this.inTransaction = db.transaction((work: () => unknown) => work());
  }

  /**
   * From now on a taken write lock is waited for asynchronously (see above). Before this call (start-up,
   * migrations, command-line tools) SQLite waits in place up to the busy timeout, which is what they want.
   */
  waitForLocksAsynchronously(): void {
    this.asyncWaits = true;
    this.db.pragma(`busy_timeout = ${Math.min(LOCK_WAIT_IN_PLACE_MS, this.busyTimeoutMs)}`);
  }

  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  /**
   * Runs `work` in one transaction now. When another process holds the write lock it does not wait
   * (the event loop would stop): it fails with `DatabaseBusyError`. Request handlers use `write`.
   */
  run<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    try {
      return this.transact(work);
    } catch (e) {
      if (this.asyncWaits && isBusy(e)) throw new DatabaseBusyError(LOCK_WAIT_IN_PLACE_MS);
      throw e;
    }
  }

  /** `run`, but a taken write lock is waited for asynchronously, up to the busy timeout. */
  write<T>(work: () => T): Promise<T> {
    if (this.waiting.length === 0 || this.db.inTransaction) {
      try {
        return Promise.resolve(this.db.inTransaction ? work() : this.transact(work));
      } catch (e) {
        if (this.db.inTransaction || !this.asyncWaits || !isBusy(e)) return Promise.reject(e);
      }
    }
    return new Promise<T>((resolve, reject) =>
      this.waitForLock(() => resolve(this.transact(work)), reject),
    );
  }

  /** Queues `work` for the next group commit; resolves with its result after the COMMIT. */
  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** True while commands wait for the next group commit (a long job lets them go first). */
  queued(): boolean {
    return this.queue.length > 0;
  }

  /** Commits whatever is queued now (also called on shutdown so nothing queued is dropped). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const failAll = (error: unknown) => batch.forEach((item) => item.reject(error));
    // Behind writes already waiting for the lock: keep the arrival order.
    if (this.waiting.length > 0) return this.waitForLock(() => this.commitBatch(batch), failAll);
    try {
      this.commitBatch(batch);
    } catch (error) {
      if (this.asyncWaits && isBusy(error))
        this.waitForLock(() => this.commitBatch(batch), failAll);
      else failAll(error);
    }
  }

  /** Commits the batch and answers each command; throws, with nobody answered, when the transaction as a whole failed. */
  private commitBatch(batch: Pending[]): void {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.inTransaction.immediate(() => {
        for (const item of batch) {
          try {
            // Nested: better-sqlite3 runs it as a SAVEPOINT and rolls only it back when it throws.
            outcomes.push({ ok: true, value: this.inTransaction(item.work) });
          } catch (error) {
            this.rolledBack();
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      this.rolledBack();
      throw error;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i];
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }

  /** A consistent snapshot for reads that span several statements (WAL readers see one commit). */
  read<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    return this.inTransaction.deferred(work) as T;
  }

  private transact<T>(work: () => T): T {
    try {
      return this.inTransaction.immediate(work) as T;
    } catch (e) {
      this.rolledBack();
      throw e;
    }
  }

  private waitForLock(attempt: () => void, fail: (error: unknown) => void): void {
    this.waiting.push({ attempt, since: Date.now(), fail });
    this.scheduleRetry();
  }

  /** Runs the waiting writes in arrival order while the lock is free; fails those whose time is up. */
  private retryWaiting(): void {
    this.retryTimer = null;
    while (this.waiting.length > 0) {
      const head = this.waiting[0];
      try {
        head.attempt();
      } catch (error) {
        if (isBusy(error)) break;
        this.waiting.shift();
        head.fail(error);
        continue;
      }
      this.waiting.shift();
      this.retryDelay = RETRY_FIRST_MS;
    }
    const now = Date.now();
    const expired = this.waiting.filter((w) => now - w.since >= this.busyTimeoutMs);
    if (expired.length > 0) {
      this.waiting = this.waiting.filter((w) => !expired.includes(w));
      for (const w of expired) w.fail(new DatabaseBusyError(now - w.since));
    }
    if (this.waiting.length > 0) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    // Never past the oldest waiter's deadline, so nobody waits longer than the busy timeout.
    const untilDeadline = this.waiting[0].since + this.busyTimeoutMs - Date.now();
    this.retryTimer = setTimeout(
      () => this.retryWaiting(),
      Math.max(1, Math.min(this.retryDelay, untilDeadline)),
    );
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }

  private rolledBack(): void {
    for (const l of this.rollbackListeners) l();
  }
}
