import { Worker } from 'node:worker_threads';
import { workerEntry } from '../workers/worker-thread';
import { type Sqlite } from './database';
import { DiskRoom } from './disk-room';

/** How often the checkpointer copies the WAL into the database file. */
export const CHECKPOINT_EVERY_MS = 50;

/**
 * Past this many frames in the WAL (16 MB of 4 KB pages), once the thread has copied them all, the
 * server's connection copies what was committed since and so lets its next write start the log
 * again: see WalCheckpointer.
 */
export const RESTART_AFTER_FRAMES = 4096;

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
 *
 * A writer starts the log again from its first frame only when every frame has been copied into
 * the database file. Under a steady stream of commits the thread's checkpoint never ends so: the
 * server commits more while it copies. The log then grew without end (hundreds of megabytes within
 * minutes of edits), and every read looked a page up in an ever longer index of it. So when the
 * thread reports a long log it has copied whole, the server's own connection, the only writer,
 * copies the few frames committed since (no commit can come in between), and its next write
 * starts the log again.
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
    private readonly restartAfterFrames = RESTART_AFTER_FRAMES,
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
    worker.on('message', (state: { log: number; checkpointed: number }) => this.reported(state));
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

  /**
   * The thread copied nearly all of a long log: the rest (what was committed while it copied, a
   * quarter of the threshold at most) is copied here, so that the next write starts it again.
   */
  private reported(state: { log: number; checkpointed: number }): void {
    if (state.log < this.restartAfterFrames) return;
    if (state.log - state.checkpointed > this.restartAfterFrames / 4) return;
    if (!this.db.open || this.db.inTransaction) return;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy (the thread's next checkpoint, a backup's copy): its next report tries again.
    }
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
