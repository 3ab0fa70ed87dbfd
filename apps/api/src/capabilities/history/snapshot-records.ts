import { type RecordState } from '@crm/domain';
import {
  lineAt,
  lineIsOf,
  materialise,
  type SnapshotRecord,
  type SplitSnapshot,
} from './snapshot.codec';

/** A record as a snapshot holds it: as a format-1/2 snapshot stored it, or its line's start. */
type Stored = SnapshotRecord | number;

/**
 * A snapshot's records by id, in the snapshot's order, none of them built: built once for a
 * snapshot and shared by every read of it (SnapshotRecords), which it never changes.
 */
export class SnapshotIndex {
  readonly stored = new Map<string, Stored>();
  private readonly built = new Map<string, RecordState>();

  private constructor(
    private readonly text: string,
    private readonly position: number,
    /** Whether the records built are kept here, for every read of the snapshot. */
    readonly shared: boolean,
  ) {}

  /**
   * `shared`: the index is kept for many reads (see SnapshotStore.keepingLastOpened), and so are
   * the records it builds; otherwise each read keeps those it reads by id, and a pass over all of
   * them (a dashboard as of a moment) keeps none.
   */
  static of(snapshot: SplitSnapshot, shared: boolean): SnapshotIndex {
    if (snapshot.text === undefined) {
      const index = new SnapshotIndex('', snapshot.position, shared);
      for (const r of snapshot.records) index.hold(Array.isArray(r) ? r[0] : r.id, r);
      return index;
    }
    const index = new SnapshotIndex(snapshot.text, snapshot.position, shared);
    for (const line of snapshot.lines) index.hold(line.id, line.at);
    return index;
  }

  private hold(id: string, r: Stored): void {
    this.stored.set(id, r);
  }

  /**
   * The whole record the snapshot holds under an id, built from what it stored when first asked
   * for, then kept: shared by every read of the snapshot, which never changes it (a replay makes
   * a changed record anew, see evolveRecord).
   */
  record(id: string, r: Stored): RecordState {
    let whole = this.built.get(id);
    if (whole === undefined) {
      whole = materialise(typeof r === 'number' ? lineAt(this.text, r, this.position).record : r);
      if (this.shared) this.built.set(id, whole);
    }
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
    const whole = this.index.record(id, stored);
    // Kept here when the index keeps nothing: read by id again, it is the same record.
    if (!this.index.shared) super.set(id, whole);
    return whole;
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
    for (const [, r] of this.entries()) yield r;
  }

  /** In order; a pass over them keeps none it builds (see SnapshotIndex.of). */
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
    for (const [id, r] of stored)
      if (this.index.isOf(r, tableId)) yield super.get(id) ?? this.index.record(id, r);
    if (this.added > 0)
      for (const [id, r] of super.entries()) if (!stored.has(id) && r.table_id === tableId) yield r;
  }
}
