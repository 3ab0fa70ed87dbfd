import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/**
 * The WAL checkpointer's thread (see WalCheckpointer): its own connection copies committed WAL
 * frames into the database file every `everyMs`, PASSIVE (it never waits for, nor blocks, the
 * server's reads and writes), and closes when told to stop.
 */
const { file, everyMs } = workerData as { file: string; everyMs: number };
const db = new Database(file, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 0');

const timer = setInterval(() => {
  try {
    // The frames in the log and those copied: the server's connection ends a long log (see WalCheckpointer).
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    if (state && state.log > 0)
      parentPort?.postMessage({ log: state.log, checkpointed: state.checkpointed });
  } catch {
    // Busy (another checkpoint, a backup's copy): the next tick tries again.
  }
}, everyMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
