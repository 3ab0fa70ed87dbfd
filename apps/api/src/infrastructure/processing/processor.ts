import type { RecordedEvent } from '@crm/events';
import type { CommandHandler, CommandMeta } from '../commands/command-executor';

/**
 * Who a processor's command acts as; its causation is the event, and its correlation the event's
 * unless it names a batch of its own (a reaction that is not part of what the person did).
 */
export type ProcessorCommandMeta = Partial<
  Pick<CommandMeta, 'actor' | 'source' | 'correlation_id'>
>;

/** What a processor may do while it handles one event. */
export interface ProcessorContext {
  /**
   * Runs a command through the executor with `causation_id` = the event's id and the event's
   * correlation. Its idempotency key is derived from (processor, event id, n-th command for this
   * event), so a redelivered event gets the stored answer back instead of acting twice.
   * `meta` defaults to the system actor and source `system`.
   */
  execute<R>(handle: CommandHandler<R>): Promise<R>;
  execute<R>(meta: ProcessorCommandMeta, handle: CommandHandler<R>): Promise<R>;
}

/**
 * A named consumer of the log that reacts after commit (unlike a projector, which runs inside the
 * append's transaction). It reads the events after its own checkpoint in log order; delivery is
 * at least once, made effectively once by the idempotency of `ctx.execute`. `handle` throwing
 * means "try this event again later"; the processor never skips an event.
 */
export interface Processor {
  readonly name: string;
  /** Event types it wants; absent: every event. Others move its checkpoint without a call. */
  readonly types?: readonly string[];
  /**
   * The types it wants at this moment, when that changes (none while nothing could react): asked
   * before each read of the log; the checkpoint moves past the rest unread. Absent: `types`.
   */
  wantedNow?(): ReadonlySet<string> | readonly string[];
  handle(event: RecordedEvent, ctx: ProcessorContext): Promise<void>;
  /**
   * When present, called instead of `handle` with every wanted event of one read of the log, in
   * order, for a processor whose work is cheaper together (one transaction for many events). The
   * checkpoint moves past them all once it resolves; throwing hands them all over again later.
   */
  handleBatch?(events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Waits this long after a wake before reading the log, so that the commits of that time are read
   * and handled together rather than one wake each.
   */
  readonly coalesceMs?: number;
}
