import Database from 'better-sqlite3';
import { answerInWorker } from '../../infrastructure/workers/worker-thread';
import { type RowsAt, rowsAt } from './rows-at';

/**
 * In a worker thread on its own read-only connection: replaying a large base to a past moment takes
 * long enough to pause the server.
 */
answerInWorker(
  ({ file, position, since }: { file: string; position: number; since: string }): RowsAt => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return rowsAt(db, position, since);
    } finally {
      db.close();
    }
  },
  'request',
);
