import { type RecordState } from '@crm/domain';
import {
  lineAt,
  lineIsOf,
  materialise,
  type SnapshotRecord,
  type SplitSnapshot,
} from './snapshot.codec';

/** What the map holds for a record: built, as a format-1/2 snapshot stored it, or its line's start. */
type Held = RecordState | SnapshotRecord | number;

/** Whether a held record is still a stored entry (format 2) or a line's record (format 3). */
const isStored = (r: Held): r is SnapshotRecord =>
  Array.isArray(r) || (typeof r === 'object' && (r as { stamps?: unknown }).stamps !== undefined);

/**
 * A snapshot's records as a map of whole records, each built from the text it was stored in when
 * first read, then kept. A view as of a moment reads one table's records, and of the others only
 * those its page links to: the other tables' records (300,000 commitments beside 100,000
 * investors) are never parsed. Iterated, every record is built, in the snapshot's order (creation
 * order, then the records a replay adds); a record a replay sets replaces the stored one in place.
 */
export class SnapshotRecords extends Map<string, RecordState> {
  private constructor(
    private readonly text: string,
    private readonly position: number,
  ) {
    super();
  }

  static of(snapshot: SplitSnapshot): SnapshotRecords {
    if (snapshot.text === undefined) {
      const map = new SnapshotRecords('', snapshot.position);
      for (const r of snapshot.records) map.hold(Array.isArray(r) ? r[0] : r.id, r);
      return map;
    }
    const map = new SnapshotRecords(snapshot.text, snapshot.position);
    for (const line of snapshot.lines) map.hold(line.id, line.at);
    return map;
  }

  private hold(id: string, r: Held): void {
    super.set(id, r as RecordState);
  }

  private build(id: string, r: Held): RecordState {
    if (typeof r !== 'number' && !isStored(r)) return r;
    const whole = materialise(
      typeof r === 'number' ? lineAt(this.text, r, this.position).record : r,
    );
    super.set(id, whole);
    return whole;
  }

  override get(id: string): RecordState | undefined {
    const r = super.get(id) as Held | undefined;
    return r === undefined ? undefined : this.build(id, r);
  }

  override *values(): MapIterator<RecordState> {
    for (const [id, r] of super.entries() as MapIterator<[string, Held]>) yield this.build(id, r);
  }

  override *entries(): MapIterator<[string, RecordState]> {
    for (const [id, r] of super.entries() as MapIterator<[string, Held]>)
      yield [id, this.build(id, r)];
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
    for (const [id, r] of super.entries() as MapIterator<[string, Held]>) {
      const table =
        typeof r === 'number'
          ? lineIsOf(this.text, r, tableId)
          : (Array.isArray(r) ? r[1] : r.table_id) === tableId;
      if (table) yield this.build(id, r);
    }
  }
}
