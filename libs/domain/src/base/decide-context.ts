import { type NewEvent, type StreamAppend } from '@crm/events';
import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { type TeamDirectory } from '../values/user-value';
import { type ViewState } from '../view/view.state';

/** What a decider may read: the current state, handed in by the caller (a projection or a replay). */
export interface DecideContext {
  table(id: string): TableState | undefined;
  tables(): TableState[];
  record(id: string): RecordState | undefined;
  /** Every record of a table (archived ones too); used by retype. */
  recordsOf(tableId: string): Iterable<RecordState>;
  /**
   * How many records a table holds (archived ones too) and up to `size` of them spread over it,
   * without reading them all; without it, deciders take the sample from `recordsOf`.
   */
  recordSample?(tableId: string, size: number): { count: number; sample: RecordState[] };
  view(id: string): ViewState | undefined;
  viewIds(): Iterable<string>;
  /**
   * The members of the team, for people (`user`) fields; a context without it (a replay, an undo of
   * values once accepted) takes the ids as they are.
   */
  member?: TeamDirectory;
}

export interface CellConflict {
  record_id: string;
  field_id: string;
  /** What the person thought was there. */
  expected: unknown;
  current: unknown;
  updated_at: string | null;
  updated_by: string | null;
}

export interface Decision {
  appends: StreamAppend[];
  conflicts: CellConflict[];
}

/**
 * Collects a decision's events in order. Consecutive events to one stream share an append; the
 * expected version of every append follows from the version the decider read plus what it added.
 */
export class DecisionBuilder {
  private readonly appends: StreamAppend[] = [];
  private readonly versions = new Map<string, number>();
  readonly conflicts: CellConflict[] = [];

  /**
   * The first event of a stream whose id the decider has just made (a new record): expected version
   * 0, and no bookkeeping per stream, since a batch of thousands of new records needs none. The
   * store refuses the append if the stream exists, so emitting to one stream twice this way fails.
   */
  emitNew(streamId: string, event: NewEvent): void {
    this.appends.push({ stream_id: streamId, expected_version: 0, events: [event] });
  }

  emit(streamId: string, readVersion: number, event: NewEvent): void {
    const expected = this.versions.get(streamId) ?? readVersion;
    const last = this.appends[this.appends.length - 1];
    if (last && last.stream_id === streamId) last.events.push(event);
    else this.appends.push({ stream_id: streamId, expected_version: expected, events: [event] });
    this.versions.set(streamId, expected + 1);
  }

  get eventCount(): number {
    return this.appends.reduce((n, a) => n + a.events.length, 0);
  }

  build(): Decision {
    return { appends: this.appends, conflicts: this.conflicts };
  }
}
