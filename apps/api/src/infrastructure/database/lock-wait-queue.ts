import { DatabaseBusyError, isBusy } from './database-busy.error';
import { noop } from './maybe-async';

/** A write that found the lock taken by another process: tried again on later turns until it commits or times out. */
interface Waiting {
  /**
   * Runs the write; throws a busy error when the lock is still taken (then nobody has been answered).
   * A promise when the write's work is asynchronous: the next waiter starts once it settled.
   */
  attempt: () => void | Promise<void>;
  since: number;
  fail: (error: unknown) => void;
}

const RETRY_FIRST_MS = 5;
const RETRY_MAX_MS = 50;

/**
 * The writes of a UnitOfWork waiting for a write lock another process holds: tried again with
 * backoff, in arrival order, and failed with `DatabaseBusyError` once they waited the busy timeout.
 */
export class LockWaitQueue {
  private waiting: Waiting[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = RETRY_FIRST_MS;

  constructor(private readonly busyTimeoutMs: number) {}

  empty(): boolean {
    return this.waiting.length === 0;
  }

  add(attempt: () => void | Promise<void>, fail: (error: unknown) => void): void {
    this.waiting.push({ attempt, since: Date.now(), fail });
    this.scheduleRetry();
  }

  /** Runs the waiting writes in arrival order while the lock is free; fails those whose time is up. */
  private async retryWaiting(): Promise<void> {
    this.retryTimer = null;
    while (this.waiting.length > 0) {
      const head = this.waiting[0];
      let pending: void | Promise<void>;
      try {
        pending = head.attempt();
      } catch (error) {
        if (isBusy(error)) break;
        this.waiting.shift();
        head.fail(error);
        continue;
      }
      this.waiting.shift();
      this.retryDelay = RETRY_FIRST_MS;
      // Its callers are answered by the attempt itself; the next one starts after its COMMIT.
      if (pending) await pending.catch(noop);
    }
    const now = Date.now();
    const expired = this.waiting.filter((w) => now - w.since >= this.busyTimeoutMs);
    if (expired.length > 0) {
      this.waiting = this.waiting.filter((w) => !expired.includes(w));
      for (const w of expired) w.fail(new DatabaseBusyError(now - w.since));
    }
    if (this.waiting.length > 0) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    // Never past the oldest waiter's deadline, so nobody waits longer than the busy timeout.
    const untilDeadline = this.waiting[0].since + this.busyTimeoutMs - Date.now();
    this.retryTimer = setTimeout(
      () => void this.retryWaiting(),
      Math.max(1, Math.min(this.retryDelay, untilDeadline)),
    );
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
  }
}
