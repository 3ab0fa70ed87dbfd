import type { SqliteEventStore } from '../event-store/sqlite-event-store';

/** Appends by another process on the same database are seen within this; the hook sees only ours. */
export const COMMIT_POLL_MS = 500;

/**
 * Wakes the after-commit consumers (processors, the live stream): once after each commit in this
 * process, however many events or appends it held, and on a poll for other processes' appends.
 * A wake carries nothing: every consumer reads the log after its own position, so a wake that
 * finds nothing new (a rolled-back append, a quiet poll) costs one query.
 */
export class CommitSignal {
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private poll: NodeJS.Timeout | null = null;
  private hooked = false;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly pollMs = COMMIT_POLL_MS,
  ) {}

  /** Called once the app is up (start-up work has committed by then). */
  start(): void {
    if (!this.hooked) {
      // The hook runs inside the append's transaction: it only schedules; the read is after the commit.
      this.store.onAppend(() => this.wakeSoon());
      this.hooked = true;
    }
    if (this.poll) return;
    this.poll = setInterval(() => this.wakeSoon(), this.pollMs);
    this.poll.unref();
  }

  stop(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.listeners.clear();
  }

  /** `listener` runs on every wake until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Wakes the consumers on the next turn (after the commit in progress, if any). */
  wakeSoon(): void {
    if (this.scheduled || this.listeners.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}
