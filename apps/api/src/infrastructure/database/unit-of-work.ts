import type { Transaction } from 'better-sqlite3';
import { Sqlite } from './database';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * One command, one SQLite transaction: read state, decide, append, project. `IMMEDIATE` takes the
 * write lock up front, so two processes never both read a version and then race to write it.
 *
 * Group commit: `submit` queues a command and answers once it is durable. Commands queued in the
 * same turn of the event loop run in one transaction, each inside its own savepoint, so they share
 * one fsync of the log (synchronous=FULL) instead of paying one each. A command that throws rolls
 * back its savepoint alone; its neighbours still commit. Nobody is answered before the COMMIT.
 */
export class UnitOfWork {
  private readonly rollbackListeners: (() => void)[] = [];
  private queue: Pending[] = [];
  private scheduled = false;
  /**
   * Made once: better-sqlite3 builds a transaction function's wrappers each time one is made, which
   * cost ~17 us a request when each call made its own. Called inside a transaction, it is a savepoint.
   */
  private readonly inTransaction: Transaction<(work: () => unknown) => unknown>;

  constructor(private readonly db: Sqlite) {
    this.inTransaction = db.transaction((work: () => unknown) => work());
  }

  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  run<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    try {
      return this.inTransaction.immediate(work) as T;
    } catch (e) {
      this.rolledBack();
      throw e;
    }
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

  /** Commits whatever is queued now (also called on shutdown so nothing queued is dropped). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
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
      for (const item of batch) item.reject(error);
      return;
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

  private rolledBack(): void {
    for (const l of this.rollbackListeners) l();
  }
}
