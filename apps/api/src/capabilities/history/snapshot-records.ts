import { type BaseAt, type RecordState } from '@crm/domain';
import {
  lineAt,
  lineIsOf,
  materialise,
  type SnapshotRecord,
  type SplitSnapshot,
} from './snapshot.codec';

/**
 * A record as a snapshot's index holds it: as a format-1/2 snapshot stored it, its line's start
 * (format 3), or built.
 */
type Stored = SnapshotRecord | number;

/** Whether a record held is still as stored: a format-2 entry or a format-3 line's record. */
const asStored = (r: Stored): boolean =>
  typeof r === 'number' || Array.isArray(r) || (r as { stamps?: unknown }).stamps !== undefined;

/**
 * A snapshot's records by id, in the snapshot's order, each built when first read and then kept in
 * its place: shared by every read of the snapshot (SnapshotRecords), which never changes a record
 * (a replay makes a changed record anew, see evolveRecord).
 */
export class SnapshotIndex {
  readonly stored = new Map<string, Stored>();

  private constructor(
    private readonly text: string,
    private readonly position: number,
  ) {}

  static of(snapshot: SplitSnapshot): SnapshotIndex {
    if (snapshot.text === undefined) {
      const index = new SnapshotIndex('', snapshot.position);
      for (const r of snapshot.records) index.stored.set(Array.isArray(r) ? r[0] : r.id, r);
      return index;
    }
    const index = new SnapshotIndex(snapshot.text, snapshot.position);
    for (const line of snapshot.lines) index.stored.set(line.id, line.at);
    return index;
  }

  /** The whole record held under an id, built from what was stored the first time (`r`: what is held). */
  record(id: string, r: Stored): RecordState {
    if (!asStored(r)) return r as RecordState;
    const whole = materialise(
      typeof r === 'number' ? lineAt(this.text, r, this.position).record : (r as SnapshotRecord),
    );
    // In place: the map's order stays the snapshot's.
    this.stored.set(id, whole);
    return whole;
  }

  isOf(r: Stored, tableId: string): boolean {
    if (typeof r === 'number') return lineIsOf(this.text, r, tableId);
    return (Array.isArray(r) ? r[1] : r.table_id) === tableId;
  }
}

/**
 * A snapshot's records as a map of whole records, each built from the text it was stored in when
 * first read, then kept. A view as of a moment reads one table's records, and of the others only
 * those its page links to: the other tables' records (300,000 commitments beside 100,000
 * investors) are never parsed. Iterated, every record is built, in the snapshot's order (creation
 * order), then the records a replay added; a record a replay sets replaces the stored one in place.
 * What a replay sets lives in this map alone: the index under it is shared and never changes.
 */
export class SnapshotRecords extends Map<string, RecordState> {
  /** Records set that the snapshot does not hold (created after it), in the map's size. */
  private added = 0;

  constructor(private readonly index: SnapshotIndex) {
    super();
  }

  override get size(): number {
    return this.index.stored.size + this.added;
  }

  override has(id: string): boolean {
    return super.has(id) || this.index.stored.has(id);
  }

  override get(id: string): RecordState | undefined {
    const own = super.get(id);
    if (own !== undefined) return own;
    const stored = this.index.stored.get(id);
    if (stored === undefined) return undefined;
    return this.index.record(id, stored);
  }

  override set(id: string, record: RecordState): this {
    if (!super.has(id) && !this.index.stored.has(id)) this.added++;
    super.set(id, record);
    return this;
  }

  /** Records are never deleted from a base, only archived. */
  override delete(): boolean {
    throw new Error('a record is never deleted from a base, only archived');
  }

  override clear(): void {
    throw new Error('a record is never deleted from a base, only archived');
  }

  override *keys(): MapIterator<string> {
    yield* this.index.stored.keys();
    for (const id of super.keys()) if (!this.index.stored.has(id)) yield id;
  }

  override *values(): MapIterator<RecordState> {
    const { stored } = this.index;
    // Without a replay's records, the index alone (no lookup in this map for each record).
    if (super.size === 0) for (const [id, r] of stored) yield this.index.record(id, r);
    else for (const [id, r] of stored) yield super.get(id) ?? this.index.record(id, r);
    if (this.added > 0) for (const [id, r] of super.entries()) if (!stored.has(id)) yield r;
  }

  /** In order: the snapshot's (as a replay left them), then those a replay added. */
  override *entries(): MapIterator<[string, RecordState]> {
    for (const [id, r] of this.index.stored) yield [id, super.get(id) ?? this.index.record(id, r)];
    if (this.added > 0)
      for (const [id, r] of super.entries()) if (!this.index.stored.has(id)) yield [id, r];
  }

  override [Symbol.iterator](): MapIterator<[string, RecordState]> {
    return this.entries();
  }

  override forEach(
    fn: (value: RecordState, key: string, map: Map<string, RecordState>) => void,
    self?: unknown,
  ): void {
    for (const [id, r] of this.entries()) fn.call(self, r, id, this);
  }

  /** One table's records, in order: only they are built. */
  *ofTable(tableId: string): Generator<RecordState> {
    const { stored } = this.index;
    // The snapshot's own, in its order (a record's table never changes), then those added since.
    const replayed = super.size > 0;
    for (const [id, r] of stored)
      if (this.index.isOf(r, tableId))
        yield (replayed && super.get(id)) || this.index.record(id, r);
    if (this.added > 0)
      for (const [id, r] of super.entries()) if (!stored.has(id) && r.table_id === tableId) yield r;
  }
}

/** A base whose records a reader can take one table at a time, when they come from a snapshot. */
export function readableByTable<B extends BaseAt & { records: Map<string, RecordState> }>(
  base: B,
): B {
  const { records } = base;
  return records instanceof SnapshotRecords
    ? { ...base, recordsOf: (id: string) => records.ofTable(id) }
    : base;
}
