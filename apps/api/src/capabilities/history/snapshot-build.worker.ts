import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { answerInWorker, movable } from '../../infrastructure/workers/worker-thread';
import { type BuiltSnapshot, SnapshotStore } from './snapshot.store';

/**
 * Builds a snapshot of the base at a position in a worker thread (see SnapshotStore's
 * snapshotInBackground). Its own read-only connection reads the same WAL file; the events up to a
 * committed position never change, so what it reads is what the main thread would have read.
 */
answerInWorker(
  ({ file, position }: { file: string; position: number }): BuiltSnapshot => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return new SnapshotStore(db, new SqliteEventStore(db)).build(position);
    } finally {
      db.close();
    }
  },
  'background',
  (built) => movable(built.data),
);
