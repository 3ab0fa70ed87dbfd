import { type RecordedEvent } from '@crm/events';

/**
 * A read model kept from the log. `apply` takes a run of events in log order (one append, one
 * replay batch): one call per batch, not one await per event, so that a rebuild keeps its pace. It
 * must be idempotent per event and write only the projector's own tables; `reset` truncates them so
 * that the runner can replay from zero. Asynchronous, so that a server database can stand behind it.
 */
export interface Projector {
  readonly name: string;
  /** Tables this projector owns, in an order that can be emptied (children first). */
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[]): Promise<void>;
  reset(): Promise<void>;
  /** Optional: called once after each run of events (an append, a catch-up batch, a rebuild) with the last one. */
  afterBatch?(last: RecordedEvent): Promise<void>;
  /** Optional: during a rebuild, hold rows in memory and write them once at `endBulk`. */
  beginBulk?(): Promise<void>;
  endBulk?(): Promise<void>;
}
