import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { answerInWorker } from '../../infrastructure/workers/worker-thread';
import { type AsOfRequest, answerAsOf } from './as-of.compute';
import { ListsAt } from './lists-at';
import { SnapshotStore } from './snapshot.store';

/**
 * A view (or two, for a diff) evaluated over the base at past moments, in a worker thread on its own
 * read-only connection: the replay from the nearest snapshot and the evaluation of every record take
 * long enough on a large base to pause the server. Events up to a committed position never change,
 * so what it reads is what the main thread would have read.
 */
answerInWorker(({ file, request }: { file: string; request: AsOfRequest }) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const snapshots = new SnapshotStore(db, new SqliteEventStore(db));
    return answerAsOf({ snapshots, lists: new ListsAt(db) }, request);
  } finally {
    db.close();
  }
}, 'request');
