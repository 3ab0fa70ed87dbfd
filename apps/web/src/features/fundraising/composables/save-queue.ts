import { valuesEqual } from '@crm/domain';
import { LIMITS } from '@crm/domain';
import { reactive } from 'vue';
import { ApiError, NetworkError } from '../../../app/http';
import { announce } from '../../../ui/announce';
import { type ChangeOp, type ChangesResult, fundraisingApi } from '../api/fundraising.api';
import { newIdempotencyKey } from './ids';

export interface Batch {
  key: string;
  changes: ChangeOp[];
}

export interface SaveState {
  status: 'idle' | 'saving' | 'saved' | 'offline' | 'signed_out' | 'error';
  savedAt: number | null;
  pending: number;
  message: string;
}

export interface SaveQueueHooks {
  /** The server answered a batch (conflicts included). */
  onResult(batch: Batch, result: ChangesResult): void;
  /** The server refused one change for good (validation, archived record...); the page reverts it. */
  onRejected(op: ChangeOp, error: ApiError): void;
}

const DEBOUNCE_MS = 250;
const STORAGE_PREFIX = 'crm.outbox.v1';
const HEARTBEAT_MS = 5000;
/**
 * An outbox untouched this long belongs to a tab that is gone (a closing tab marks its own at once;
 * this covers crashes, and is long because browsers slow the timers of background tabs).
 */
const ORPHAN_AFTER_MS = 180_000;

function tabId(): string {
  try {
    let id = sessionStorage.getItem('crm.tab');
    if (!id) {
      id = newIdempotencyKey().slice(5, 17);
      sessionStorage.setItem('crm.tab', id);
    }
    return id;
  } catch {
    return 'tab';
  }
}
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
export const cellKey = (recordId: string, fieldId: string) => `${recordId}|${fieldId}`;

/**
 * The grid's outbox. Edits wait at most DEBOUNCE_MS, then leave as one batch with its own
 * Idempotency-Key; batches go one at a time, in order. Every batch is written to localStorage
 * before it is sent and removed only when the server has answered, so a lost network, a closed tab
 * or a crash never loses an edit: retries (with backoff, and after a reload) reuse the same key,
 * so nothing is applied twice.
 */
export class SaveQueue {
  readonly state = reactive<SaveState>({ status: 'idle', savedAt: null, pending: 0, message: '' });
  private open: ChangeOp[] = [];
  private outbox: Batch[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private sending = false;
  private stopped = false;
  private readonly dirty = new Map<string, number>();
  private readonly onOnline = () => this.retryNow();
  /** The tab is closing: whatever it could not send is free for the next tab to take. */
  private readonly onPageHide = () => {
    if (!this.hasPending() || this.stopped) return;
    try {
      localStorage.setItem(
        this.storageKey,
        JSON.stringify({ v: 1, touched: 0, open: this.open, outbox: this.outbox }),
      );
    } catch {
      // Nothing more can be done while the page goes away.
    }
  };

  private readonly storageKey: string;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  /**
   * `owner` is the signed-in person. Each browser tab keeps its own outbox (`<prefix>:<owner>:<tab>`,
   * the tab id living in sessionStorage so a reload keeps it), so two tabs never overwrite each
   * other's unsent edits; a tab that closed with edits unsent is adopted by the next one to start.
   */
  constructor(
    private readonly owner: string,
    private readonly hooks: SaveQueueHooks,
  ) {
    this.storageKey = `${STORAGE_PREFIX}:${owner}:${tabId()}`;
    this.restore();
    this.adoptOrphans();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('pagehide', this.onPageHide);
    // A live tab refreshes its outbox's timestamp, so other tabs know it is not an orphan.
    this.heartbeat = setInterval(() => {
      if (this.hasPending()) this.persist();
    }, HEARTBEAT_MS);
  }

  /** Ops restored from a previous page load, to lay over freshly loaded data. */
  pendingOps(): ChangeOp[] {
    return [...this.outbox.flatMap((b) => b.changes), ...this.open];
  }

  /** True while a change to this cell has not been confirmed by the server. */
  isDirty(recordId: string, fieldId: string): boolean {
    return (this.dirty.get(cellKey(recordId, fieldId)) ?? 0) > 0;
  }

  /**
   * A change to this cell written outside the outbox (a board's card move): until `release`, the
   * cell is dirty as if it were queued, so live events do not overwrite the person's value.
   */
  hold(recordId: string, fieldId: string): () => void {
    const op: ChangeOp = {
      op: 'set',
      record_id: recordId,
      field_id: fieldId,
      from: null,
      to: null,
    };
    this.track(op);
    let held = true;
    return () => {
      if (held) this.untrack(op);
      held = false;
    };
  }

  hasPending(): boolean {
    return this.open.length > 0 || this.outbox.length > 0;
  }

  enqueue(ops: ChangeOp[]): void {
    for (let op of ops) {
      if (op.op === 'set') {
        // A later edit of a cell still waiting in the open batch replaces it: the first `from`, the last `to`.
        const set = op;
        const i = this.open.findIndex(
          (o) => o.op === 'set' && o.record_id === set.record_id && o.field_id === set.field_id,
        );
        if (i >= 0) {
          const prev = this.open[i] as Extract<ChangeOp, { op: 'set' }>;
          this.open.splice(i, 1);
          this.untrack(prev);
          if (
            valuesEqual(prev.from, op.to) &&
            JSON.stringify(prev.from ?? null) === JSON.stringify(op.to ?? null)
          )
            continue;
          op = { ...op, from: prev.from };
        }
      }
      this.open.push(op);
      this.track(op);
    }
    this.persist();
    this.updateCount();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump();
    }, DEBOUNCE_MS);
  }

  /** Sends now (page hide, explicit retry). */
  flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    void this.pump();
  }

  retryNow(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.attempt = 0;
    void this.pump();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('pagehide', this.onPageHide);
  }

  private seal(): void {
    if (this.open.length === 0) return;
    for (let i = 0; i < this.open.length; i += LIMITS.changesPerBatch) {
      this.outbox.push({
        key: newIdempotencyKey(),
        changes: this.open.slice(i, i + LIMITS.changesPerBatch),
      });
    }
    this.open = [];
    this.persist();
  }

  private async pump(): Promise<void> {
    if (this.sending || this.stopped) return;
    this.sending = true;
    // A conflict is announced by the conflict book; "saved" would then be untrue.
    let conflicted = false;
    try {
      this.seal();
      while (this.outbox.length > 0 && !this.stopped) {
        const batch = this.outbox[0];
        this.state.status = 'saving';
        let result: ChangesResult;
        try {
          result = await fundraisingApi.changes(batch.changes, batch.key);
        } catch (e) {
          if (this.handleFailure(batch, e)) continue;
          return;
        }
        this.attempt = 0;
        this.outbox.shift();
        for (const op of batch.changes) this.untrack(op);
        this.persist();
        this.hooks.onResult(batch, result);
        conflicted ||= result.conflicts.length > 0;
        this.seal();
      }
      if (this.state.status === 'saving' && !conflicted) announce('All changes saved');
      this.state.status = 'saved';
      this.state.savedAt = Date.now();
      this.state.message = '';
    } finally {
      this.sending = false;
      this.updateCount();
    }
    // Edits made while the last batch was in flight.
    if (this.open.length > 0 && !this.timer) void this.pump();
  }

  /** Returns true to go on with the next batch now, false to wait (for a retry or a new sign-in). */
  private handleFailure(batch: Batch, e: unknown): boolean {
    if (e instanceof ApiError && e.status === 401) {
      this.state.status = 'signed_out';
      this.state.message = 'Signed out: your changes are kept and sent after you sign in again.';
      return false;
    }
    if (
      e instanceof ApiError &&
      e.status >= 400 &&
      e.status < 500 &&
      e.status !== 408 &&
      e.status !== 429
    ) {
      if (e.reason === 'idempotency_key_reused') {
        batch.key = newIdempotencyKey();
        this.persist();
        return true;
      }
      // The server refuses a whole batch for one bad change: split it to find that change and send the rest.
      this.outbox.shift();
      if (batch.changes.length > 1) {
        const half = Math.ceil(batch.changes.length / 2);
        this.outbox.unshift(
          { key: `${batch.key}.1`.slice(-128), changes: batch.changes.slice(0, half) },
          { key: `${batch.key}.2`.slice(-128), changes: batch.changes.slice(half) },
        );
      } else {
        this.untrack(batch.changes[0]);
        this.hooks.onRejected(batch.changes[0], e);
      }
      this.persist();
      return true;
    }
    // Unreachable, a gateway error, a 5xx or a throttle: keep everything and try again later.
    this.state.status = e instanceof NetworkError ? 'offline' : 'error';
    this.state.message =
      e instanceof NetworkError
        ? 'Offline: changes are kept on this device and sent when the server is back.'
        : `Could not save yet (${(e as Error).message}); retrying.`;
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.pump();
    }, delay);
    return false;
  }

  private track(op: ChangeOp): void {
    if (op.op !== 'set') return;
    const k = cellKey(op.record_id, op.field_id);
    this.dirty.set(k, (this.dirty.get(k) ?? 0) + 1);
  }

  private untrack(op: ChangeOp): void {
    if (op.op !== 'set') return;
    const k = cellKey(op.record_id, op.field_id);
    const n = (this.dirty.get(k) ?? 0) - 1;
    if (n <= 0) this.dirty.delete(k);
    else this.dirty.set(k, n);
  }

  private updateCount(): void {
    this.state.pending = this.open.length + this.outbox.reduce((n, b) => n + b.changes.length, 0);
  }

  /** The only use of localStorage for data: unsent changes, per signed-in person and tab. */
  private persist(): void {
    // A stopped queue (the page moved on) leaves the outbox to the queue that replaced it; a batch it
    // still had in flight is at worst sent again under the same key, which the server answers once.
    if (this.stopped) return;
    try {
      if (this.open.length === 0 && this.outbox.length === 0)
        localStorage.removeItem(this.storageKey);
      else
        localStorage.setItem(
          this.storageKey,
          JSON.stringify({ v: 1, touched: Date.now(), open: this.open, outbox: this.outbox }),
        );
    } catch {
      this.state.message =
        'This browser cannot keep unsent changes (storage full or blocked); keep the page open until they are saved.';
    }
  }

  private restore(): void {
    try {
      const raw = localStorage.getItem(this.storageKey);
      if (!raw) return;
      const saved = JSON.parse(raw) as { v: number; open: ChangeOp[]; outbox: Batch[] };
      if (saved.v !== 1) return;
      this.outbox = saved.outbox ?? [];
      this.open = saved.open ?? [];
      for (const op of this.pendingOps()) this.track(op);
      this.updateCount();
    } catch {
      // Unreadable: leave it for a person to inspect rather than send something corrupt.
    }
  }

  /** Takes over the outboxes of this person's tabs that closed (or crashed) with edits unsent. */
  private adoptOrphans(): void {
    const prefix = `${STORAGE_PREFIX}:${this.owner}`;
    const now = Date.now();
    let adopted = false;
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const key = localStorage.key(i);
        if (!key || key === this.storageKey || (key !== prefix && !key.startsWith(`${prefix}:`)))
          continue;
        const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as {
          v: number;
          touched?: number;
          open?: ChangeOp[];
          outbox?: Batch[];
        } | null;
        if (
          !saved ||
          saved.v !== 1 ||
          (saved.touched !== undefined && now - saved.touched < ORPHAN_AFTER_MS)
        )
          continue;
        const batches = [...(saved.outbox ?? [])];
        if (saved.open?.length) batches.push({ key: newIdempotencyKey(), changes: saved.open });
        this.outbox.unshift(...batches);
        for (const b of batches) for (const op of b.changes) this.track(op);
        localStorage.removeItem(key);
        adopted = true;
      }
    } catch {
      // Unreadable entries stay where they are.
    }
    if (adopted) {
      this.persist();
      this.updateCount();
    }
  }

  /** Starts sending what a previous page load left behind. */
  resume(): void {
    if (this.hasPending()) void this.pump();
  }
}
