import { Worker } from 'node:worker_threads';
import { workerEntry } from '../workers/worker-thread';
import { type Sqlite } from './database';
import { DiskRoom } from './disk-room';

/** How often the checkpointer copies the WAL into the database file. */
export const CHECKPOINT_EVERY_MS = 50;

/**
 * While the disk is nearly full the WAL is kept short: the connection checkpoints every this many
 * pages, and a log that a checkpoint emptied is cut back to this many bytes.
 */
export const LOW_ROOM_CHECKPOINT_PAGES = 64;
export const LOW_ROOM_WAL_BYTES = 256 * 1024;

/**
 * Moves the WAL checkpoint off the server's thread. SQLite runs the automatic checkpoint inside the
 * COMMIT that crosses its threshold: that commit also copies thousands of pages into the database
 * file and fsyncs it before anyone is answered, which is where a steady edit load's slowest
 * answers came from. Once serving, the server's connection stops checkpointing and a worker thread
 * with its own connection checkpoints, PASSIVE, several times a second. Durability is unchanged
 * (a commit is durable in the WAL). Should the thread die, the server's connection checkpoints
 * again as before; so it does while the disk is nearly full (see DiskRoom), where a checkpoint
 * from another connection, growing the database file as writes arrive, was seen to take the space
 * a full disk gives back before the writes could (a checkpoint inside the commit does the two in
 * turn). While the disk is nearly full the WAL is also kept short and cut back after each
 * checkpoint: the log's file otherwise keeps the size of its longest run between checkpoints (4 MB
 * at SQLite's default), space the database itself then lacks, so that freeing less than that did
 * not let writes resume.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private readonly autocheckpoint: number;
  private readonly walLimit: number;
  /** The disk was nearly full when last looked at. */
  private lowRoom = false;
  private watch: NodeJS.Timeout | null = null;
  /** The thread failed: the server's connection checkpoints from then on. */
  private failed = false;

  constructor(
    private readonly db: Sqlite,
    private readonly everyMs = CHECKPOINT_EVERY_MS,
    private readonly disk = new DiskRoom(db),
  ) {
    this.autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.walLimit = db.pragma('journal_size_limit', { simple: true }) as number;
  }

  /** Checkpoints from its thread while the disk has room, from the server's connection otherwise. */
  start(): void {
    if (this.watch || this.db.memory) return;
    const follow = () => {
      // Closed under it (the app stopping): nothing to follow.
      if (!this.db.open) return;
      const lowRoom = !this.disk.forDerivedWork();
      if (lowRoom !== this.lowRoom) {
        this.lowRoom = lowRoom;
        this.db.pragma(`journal_size_limit = ${lowRoom ? LOW_ROOM_WAL_BYTES : this.walLimit}`);
      }
      if (!lowRoom) this.startThread();
      else if (this.worker) void this.stopThread();
      else this.connectionCheckpoints();
    };
    follow();
    this.watch = setInterval(follow, 1_000);
    this.watch.unref();
  }

  /** Stops the thread (its connection closed) and gives the checkpoint back to the server's connection. */
  async stop(): Promise<void> {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
    await this.stopThread();
    if (this.lowRoom && this.db.open) {
      this.lowRoom = false;
      this.db.pragma(`journal_size_limit = ${this.walLimit}`);
      this.connectionCheckpoints();
    }
  }

  private startThread(): void {
    if (this.worker || this.failed) return;
    const worker = new Worker(workerEntry(__dirname, 'wal-checkpoint.worker'), {
      workerData: { file: this.db.name, everyMs: this.everyMs },
    });
    worker.unref();
    worker.once('error', () => {
      this.failed = true;
      this.takeBack(worker);
    });
    worker.once('exit', () => this.takeBack(worker));
    this.worker = worker;
    this.db.pragma('wal_autocheckpoint = 0');
  }

  private async stopThread(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held until it has gone: at shutdown nothing else may be keeping the process alive.
    worker.ref();
    worker.postMessage('stop');
    await exited;
  }

  private takeBack(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.connectionCheckpoints();
  }

  /** The server's connection checkpoints inside its commits: often while the disk is nearly full. */
  private connectionCheckpoints(): void {
    if (!this.db.open) return;
    const pages = this.lowRoom ? LOW_ROOM_CHECKPOINT_PAGES : this.autocheckpoint;
    this.db.pragma(`wal_autocheckpoint = ${pages}`);
  }
}
