import { Worker } from 'node:worker_threads';
import { workerEntry } from '../workers/worker-thread';
import { type Sqlite } from './database';

/** How often the checkpointer copies the WAL into the database file. */
export const CHECKPOINT_EVERY_MS = 50;

/**
 * Moves the WAL checkpoint off the server's thread. SQLite runs the automatic checkpoint inside the
 * COMMIT that crosses its threshold: that commit also copies thousands of pages into the database
 * file and fsyncs it before anyone is answered, which is where a steady edit load's slowest
 * answers came from. Once serving, the server's connection stops checkpointing and a worker thread
 * with its own connection checkpoints, PASSIVE, several times a second. Durability is unchanged
 * (a commit is durable in the WAL). Should the thread die, the server's connection checkpoints
 * again as before.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private readonly autocheckpoint: number;

  constructor(
    private readonly db: Sqlite,
    private readonly everyMs = CHECKPOINT_EVERY_MS,
  ) {
    this.autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  }

  start(): void {
    if (this.worker || this.db.memory) return;
    const worker = new Worker(workerEntry(__dirname, 'wal-checkpoint.worker'), {
      workerData: { file: this.db.name, everyMs: this.everyMs },
    });
    worker.unref();
    worker.once('error', () => this.takeBack(worker));
    worker.once('exit', () => this.takeBack(worker));
    this.worker = worker;
    this.db.pragma('wal_autocheckpoint = 0');
  }

  /** Stops the thread (its connection closed) and gives the checkpoint back to the server's connection. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await exited;
  }

  private takeBack(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
  }
}
