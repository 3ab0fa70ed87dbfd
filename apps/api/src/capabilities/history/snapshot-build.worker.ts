import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { answerInWorker } from '../../infrastructure/workers/worker-thread';
import { SnapshotStore } from './snapshot.store';

/** How long the worker's insert waits for the write lock the server's connection may hold. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Builds and stores a snapshot of the base at a position in a worker thread (see SnapshotStore's
 * snapshotInBackground), on its own connection to the same WAL file: the events up to a committed
 * position never change, so it reads what the main thread would have read. Like any writer it
 * commits with a full sync; a write lock held by the server is waited for on this thread.
 */
answerInWorker(({ file, position, now }: { file: string; position: number; now: string }) => {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return new SnapshotStore(db, new SqliteEventStore(db)).snapshot(position, now);
  } finally {
    db.close();
  }
});
