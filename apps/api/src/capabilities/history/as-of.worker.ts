import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { serveInWorker } from '../../infrastructure/workers/worker-thread';
import { type AsOfRequest, answerAsOf } from './as-of.compute';
import { ListsAt } from './lists-at';
import { SnapshotStore } from './snapshot.store';

/**
 * Views (or one side of a diff) evaluated over the base at past moments, in a worker thread kept
 * between requests, on its own read-only connection: the replay from the nearest snapshot and the
 * evaluation of every record take long enough on a large base to pause the server. Events up to a
 * committed position never change, so what it reads is what the main thread would have read; and
 * the last snapshot it opened stays open, so that the next page of the same moment, or a moment
 * near it, does not unzip it again.
 */
serveInWorker(({ file }: { file: string }) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const snapshots = new SnapshotStore(db, new SqliteEventStore(db)).keepingLastOpened();
  const lists = new ListsAt(db);
  return (request) => answerAsOf({ snapshots, lists }, request as AsOfRequest);
}, 'request');
