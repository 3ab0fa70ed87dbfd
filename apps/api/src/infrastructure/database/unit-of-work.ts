import { Sqlite } from './database';

/**
 * One command, one SQLite transaction: read state, decide, append, project. `IMMEDIATE` takes the
 * write lock up front, so two processes never both read a version and then race to write it.
 */
export class UnitOfWork {
  private readonly rollbackListeners: (() => void)[] = [];

  constructor(private readonly db: Sqlite) {}

  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  run<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    try {
      return this.db.transaction(work).immediate();
    } catch (e) {
      for (const l of this.rollbackListeners) l();
      throw e;
    }
  }

  /** A consistent snapshot for reads that span several statements (WAL readers see one commit). */
  read<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    return this.db.transaction(work).deferred();
  }
}
