import { type Sqlite } from './database';

/**
 * Runs one large write (an import of thousands of rows) with the WAL's automatic checkpoint held
 * back, and checkpoints on a later turn of the event loop instead. SQLite runs the automatic
 * checkpoint inside the COMMIT that crosses its threshold, so a commit of tens of megabytes would
 * otherwise also copy them into the database file, with its own fsync, before anyone is answered.
 * Durability is the WAL's either way: a crash before the checkpoint leaves the frames to recovery.
 */
export function withDeferredCheckpoint<T>(
  db: Sqlite,
  work: () => T,
  later: (task: () => void) => void = setImmediate,
): T {
  const limit = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  if (db.inTransaction || limit <= 0) return work();
  db.pragma('wal_autocheckpoint = 0');
  try {
    return work();
  } finally {
    db.pragma(`wal_autocheckpoint = ${limit}`);
    later(() => {
      try {
        if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // The connection went away meanwhile: the next automatic checkpoint catches up.
      }
    });
  }
}
