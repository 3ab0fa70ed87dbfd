import { type RecordedEvent } from '@crm/events';

/**
 * A read model kept from the log. `apply` must be idempotent per event and write only the
 * projector's own tables; `reset` truncates them so that the runner can replay from zero.
 */
export interface Projector {
  readonly name: string;
  /** Tables this projector owns, in an order that can be emptied (children first). */
  readonly tables: readonly string[];
  apply(event: RecordedEvent): void;
  reset(): void;
  /** Optional: called once after each run of events (an append, a catch-up batch, a rebuild) with the last one. */
  afterBatch?(last: RecordedEvent): void;
  /** Optional: during a rebuild, hold rows in memory and write them once at `endBulk`. */
  beginBulk?(): void;
  endBulk?(): void;
}
