import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { notFound } from '@crm/domain';
import type { RecordedEvent } from '@crm/events';
import type { Clock } from '../clock';
import type { CommandExecutor, CommandHandler } from '../commands/command-executor';
import type { UnitOfWork } from '../database/unit-of-work';
import type { SqliteEventStore } from '../event-store/sqlite-event-store';
import { SYSTEM_ACTOR } from '../request-context/actor';
import type { CommitSignal } from './commit-signal';
import type { Processor, ProcessorCommandMeta, ProcessorContext } from './processor';
import { DEFAULT_RUNNER_OPTIONS, type ProcessorState, type RunnerOptions } from './runner-options';
import type {
  ProcessorCheckpoint,
  ProcessorCheckpointsRepository,
} from './processor-checkpoints.repository';

export { DEFAULT_RUNNER_OPTIONS, type ProcessorState, type RunnerOptions };

/** Events read per query. */
const BATCH = 500;
/**
 * A drain gives the event loop back after this much work, its reads of the log included: handlers
 * that await only settled promises (a no-op, a command that commits at once) would otherwise run a
 * whole backlog as one chain of microtasks, and every request would wait behind it.
 */
const SLICE_MS = 10;
/**
 * Events handed to a batch processor's one call at most: its work for them (one transaction) then
 * holds other requests for a few milliseconds, not for the whole read.
 */
const HANDED_TOGETHER = 50;
/** Further behind than this, a processor makes the server not ready (see /api/ready). */
export const READY_MAX_LAG = 10_000;

/** When the drain's current stretch of work began (see SLICE_MS). */
interface Slice {
  start: number;
}

interface Slot {
  processor: Processor;
  wanted: ReadonlySet<string> | null;
  row: ProcessorCheckpoint;
  /** The drain in progress, if any; a wake meanwhile sets `again`. */
  draining: Promise<void> | null;
  again: boolean;
  retry: NodeJS.Timeout | null;
}

/**
 * Runs the processors after commit: each reads the log after its own checkpoint, in order, and
 * hands each wanted event to `handle`. One wake per commit (see CommitSignal), whatever the
 * number of events. A failing event is retried with backoff; after `maxFailures` in a row the
 * processor stops as `failed` until an admin resumes it.
 */
export class ProcessorRunner {
  private readonly logger = new Logger('Processors');
  private readonly slots = new Map<string, Slot>();
  private unsubscribe: (() => void) | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly executor: CommandExecutor,
    private readonly uow: UnitOfWork,
    private readonly checkpoints: ProcessorCheckpointsRepository,
    private readonly clock: Clock,
    private readonly signal: CommitSignal,
    private readonly options: RunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {}

  register(processor: Processor): void {
    if (this.slots.has(processor.name))
      throw new Error(`a processor named "${processor.name}" is registered already`);
    const slot: Slot = {
      processor,
      wanted: processor.types ? new Set(processor.types) : null,
      row: this.checkpoints.load(processor.name),
      draining: null,
      again: false,
      retry: null,
    };
    this.slots.set(processor.name, slot);
    if (this.running) this.drain(slot);
  }

  /** From now on every commit (and the poll) wakes the processors; they catch up at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.signal.subscribe(() => this.wakeAll());
    this.wakeAll();
  }

  /** Lets the events being handled finish, then saves every checkpoint. Nothing new starts. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const slot of this.slots.values()) this.clearRetry(slot);
    await Promise.all([...this.slots.values()].map((s) => s.draining));
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    await this.saveNow();
  }

  list(): ProcessorState[] {
    const head = this.store.lastPosition();
    return [...this.slots.values()].map((s) => this.stateOf(s, head));
  }

  state(name: string): ProcessorState {
    return this.stateOf(this.slot(name), this.store.lastPosition());
  }

  /** Stops handling events after the one in progress; the checkpoint stays where it is. */
  pause(name: string): ProcessorState {
    const slot = this.slot(name);
    this.clearRetry(slot);
    slot.row.status = 'paused';
    void this.saveNow();
    this.logger.warn(`processor ${name} paused at position ${slot.row.position}`);
    return this.state(name);
  }

  /** Runs again from the checkpoint; a failed processor's event is tried anew with fresh retries. */
  resume(name: string): ProcessorState {
    const slot = this.slot(name);
    slot.row.status = 'running';
    slot.row.failures = 0;
    void this.saveNow();
    this.logger.log(`processor ${name} resumed at position ${slot.row.position}`);
    if (this.running) this.drain(slot);
    return this.state(name);
  }

  /**
   * Resolves when no processor is handling events and every running one is at `position` (when
   * absent, the head, including what the processors' own commands appended), or has stopped short
   * of it (failed, paused, waiting for a retry).
   */
  async settled(position?: number): Promise<void> {
    for (;;) {
      const busy = [...this.slots.values()].filter((s) => s.draining);
      if (busy.length === 0) {
        // The head now: what the processors appended meanwhile (a rule's effects) is waited for too.
        const target = position ?? this.store.lastPosition();
        const behind = [...this.slots.values()].filter(
          (s) => s.row.status === 'running' && !s.retry && s.row.position < target,
        );
        if (behind.length === 0 || !this.running) return;
        behind.forEach((s) => this.drain(s));
        continue;
      }
      await Promise.all(busy.map((s) => s.draining));
    }
  }

  private slot(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot)
      throw notFound(`no processor is named "${name}"`, {
        reason: 'unknown_processor',
        name,
        processors: [...this.slots.keys()],
      });
    return slot;
  }

  private stateOf(s: Slot, head: number): ProcessorState {
    return {
      name: s.processor.name,
      checkpoint: s.row.position,
      head,
      lag: Math.max(0, head - s.row.position),
      status: s.row.status,
      last_error: s.row.last_error,
      last_error_at: s.row.last_error_at,
    };
  }

  private wakeAll(): void {
    for (const slot of this.slots.values()) this.drain(slot);
  }

  /** Starts a drain unless one runs (then it goes round once more), or the processor waits. */
  private drain(slot: Slot): void {
    if (!this.running || slot.row.status !== 'running' || slot.retry) return;
    if (slot.draining) {
      slot.again = true;
      return;
    }
    slot.draining = this.drainLoop(slot)
      // The log could not be read (the database is busy or closing): the next wake tries again.
      .catch((e: Error) => this.logger.warn(`processor ${slot.row.name}: ${e.message}`))
      .finally(() => {
        slot.draining = null;
      });
  }

  private async drainLoop(slot: Slot): Promise<void> {
    const coalesceMs = slot.processor.coalesceMs ?? 0;
    const slice: Slice = { start: this.options.now() };
    do {
      if (coalesceMs > 0) {
        await delay(coalesceMs);
        slice.start = this.options.now();
      }
      slot.again = false;
      for (;;) {
        if (!this.running || slot.row.status !== 'running') return;
        const { events, through, more } = this.read(slot);
        if (events.length > 0 && !(await this.handleAll(slot, events, slice))) return;
        // Past the events of other types too (they were never read), unless paused meanwhile.
        if (through > slot.row.position && slot.row.status === 'running')
          this.advance(slot, through);
        if (!more) break;
        // A long backlog (after an import of 100,000 rows) is read 500 events at a time: the
        // reads count against the slice too, or cheap handlers never reach its end and the whole
        // catch-up holds the thread (seen: 700 ms, every request waiting behind it).
        await this.yieldIfSpent(slice);
      }
    } while (slot.again);
  }

  /** Gives the event loop a turn when the slice's time is spent. */
  private async yieldIfSpent(slice: Slice): Promise<void> {
    if (this.options.now() - slice.start <= SLICE_MS) return;
    await nextTurn();
    slice.start = this.options.now();
  }

  /** The next events of the types it wants now (every event if none named), and how far it read. */
  private read(slot: Slot): { events: RecordedEvent[]; through: number; more: boolean } {
    const after = slot.row.position;
    const types = slot.processor.wantedNow?.() ?? slot.wanted;
    if (types === null) {
      const events = this.store.readAll(after, BATCH);
      const through = events.length > 0 ? events[events.length - 1].position : after;
      return { events, through, more: events.length === BATCH };
    }
    const { events, through, head } = this.store.readOfTypes(after, [...types], BATCH);
    return { events, through, more: through < head };
  }

  /** Handles events in order; false when one failed (the checkpoint stays before it). */
  private async handleAll(slot: Slot, events: RecordedEvent[], slice: Slice): Promise<boolean> {
    if (slot.processor.handleBatch) return this.handleBatch(slot, events, slice);
    for (const event of events) {
      await this.yieldIfSpent(slice);
      if (!this.running || slot.row.status !== 'running') return false;
      if (slot.wanted === null || slot.wanted.has(event.type)) {
        try {
          await slot.processor.handle(event, this.contextFor(slot.processor, event));
        } catch (e) {
          this.failed(slot, event, e);
          return false;
        }
      }
      this.advance(slot, event.position);
    }
    return true;
  }

  /**
   * The wanted events of one read, `HANDED_TOGETHER` at a time, with a turn of the event loop
   * between calls; false when one failed (the checkpoint stays before its events).
   */
  private async handleBatch(slot: Slot, events: RecordedEvent[], slice: Slice): Promise<boolean> {
    const types = slot.wanted;
    for (let from = 0; from < events.length; from += HANDED_TOGETHER) {
      if (from > 0) {
        await nextTurn();
        slice.start = this.options.now();
      }
      if (!this.running || slot.row.status !== 'running') return false;
      const part = events.slice(from, from + HANDED_TOGETHER);
      const wanted = types ? part.filter((e) => types.has(e.type)) : part;
      if (wanted.length > 0)
        try {
          await slot.processor.handleBatch!(wanted);
        } catch (e) {
          this.failed(slot, wanted[0], e);
          return false;
        }
      this.advance(slot, part[part.length - 1].position);
    }
    return true;
  }

  private advance(slot: Slot, position: number): void {
    slot.row.position = position;
    if (slot.row.failures > 0) {
      slot.row.failures = 0;
      void this.saveNow();
    } else this.saveSoon();
  }

  private failed(slot: Slot, event: RecordedEvent, error: unknown): void {
    const row = slot.row;
    row.failures++;
    row.last_error = `position ${event.position} (${event.type}): ${(error as Error)?.message ?? String(error)}`;
    row.last_error_at = this.clock.now();
    if (row.failures >= this.options.maxFailures) {
      row.status = 'failed';
      this.logger.error(
        `processor ${row.name} FAILED after ${row.failures} tries and stopped at position ${row.position}: ${row.last_error}; resume it with POST /api/admin/processors/${row.name}/resume`,
      );
    } else {
      const delay = Math.min(
        this.options.retryFirstMs * 2 ** (row.failures - 1),
        this.options.retryMaxMs,
      );
      this.logger.warn(
        `processor ${row.name} failed (try ${row.failures} of ${this.options.maxFailures}), retrying in ${delay} ms: ${row.last_error}`,
      );
      slot.retry = setTimeout(() => {
        slot.retry = null;
        this.drain(slot);
      }, delay);
      slot.retry.unref();
    }
    void this.saveNow();
  }

  private clearRetry(slot: Slot): void {
    if (slot.retry) clearTimeout(slot.retry);
    slot.retry = null;
  }

  /**
   * The n-th command a processor issues for an event is keyed by (processor, event, n): when the
   * event comes again after a crash, the same command finds its stored answer and acts no more.
   */
  private contextFor(processor: Processor, event: RecordedEvent): ProcessorContext {
    let n = 0;
    const execute = <R>(
      metaOrHandle: ProcessorCommandMeta | CommandHandler<R>,
      maybeHandle?: CommandHandler<R>,
    ): Promise<R> => {
      const [meta, handle] =
        typeof metaOrHandle === 'function' ? [{}, metaOrHandle] : [metaOrHandle, maybeHandle!];
      const key = `processor/${processor.name}/${event.event_id}/${n++}`;
      return this.executor.execute(
        {
          actor: meta.actor ?? SYSTEM_ACTOR,
          source: meta.source ?? 'system',
          correlation_id: meta.correlation_id ?? event.metadata.correlation_id,
          causation_id: event.event_id,
        },
        handle,
        { key, request: { processor: processor.name, event_id: event.event_id } },
      );
    };
    return { execute: execute as ProcessorContext['execute'] };
  }

  private saveSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.uow
        .write(() => this.saveRows())
        .catch((e: Error) => this.logger.warn(`processor checkpoints not saved: ${e.message}`));
    }, this.options.saveEveryMs);
    this.saveTimer.unref();
  }

  /** Now when no transaction is open (then it has committed on return), else right after it. */
  private saveNow(): Promise<void> {
    return this.uow
      .write(() => this.saveRows())
      .catch((e: Error) => {
        // The database is busy or closing: the checkpoint stays behind, which only means redelivery.
        this.logger.warn(`processor checkpoints not saved: ${e.message}`);
        this.saveSoon();
      });
  }

  private saveRows(): void {
    this.checkpoints.saveAll(
      [...this.slots.values()].map((s) => s.row),
      this.clock.now(),
    );
  }
}
