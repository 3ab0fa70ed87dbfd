import { listsValue, orderedLists } from '@crm/domain';
import { automationsApi } from '../api/automations.api';

const NO_LISTS: ReadonlySet<string> = new Set();
const MAX_READ = '100000';

/** A membership event of the live stream, as far as the lists need it. */
interface MoveEvent {
  type: string;
  data: unknown;
}

/**
 * Every record's lists (`all` aside), read once a list at a time and kept current by the live
 * stream's membership events: the Lists column, the list tabs and filters on lists read it.
 */
export class RecordLists {
  /** Key → name, in the order the lists are offered (built-in first, then the fund's own). */
  readonly names = new Map<string, string>();
  private readonly byRecord = new Map<string, Set<string>>();
  private readonly watchers = new Set<() => void>();
  loaded = false;

  /** Calls back after a record moved into or out of a list (a rule, a person); returns the way to stop. */
  watch(onMove: () => void): () => void {
    this.watchers.add(onMove);
    return () => this.watchers.delete(onMove);
  }

  /**
   * Reads every list's records (again after a reload of the base, and after its state: the moves
   * since come on the restarted live stream, and applying one twice changes nothing).
   */
  async load(): Promise<void> {
    const { lists } = await automationsApi.lists();
    const byRecord = new Map<string, Set<string>>();
    for (const l of lists) {
      if (l.list === 'all') continue;
      // As many as the route gives (its default is a tenth of that): a big base's Main is large.
      const { memberships } = await automationsApi.memberships({ list: l.list, limit: MAX_READ });
      for (const m of memberships) add(byRecord, m.record_id, m.list);
    }
    this.names.clear();
    for (const l of lists) this.names.set(l.list, l.name);
    this.byRecord.clear();
    for (const [id, set] of byRecord) this.byRecord.set(id, set);
    this.loaded = true;
  }

  of = (recordId: string): ReadonlySet<string> => this.byRecord.get(recordId) ?? NO_LISTS;

  /**
   * The record's lists by name, in the order the Lists column sorts by ("Main, Follow-up"):
   * a sorted column reads in the order it is sorted.
   */
  namesOf(recordId: string): string[] {
    const mine = this.byRecord.get(recordId);
    if (!mine?.size) return [];
    return orderedLists(mine)
      .filter((key) => this.names.has(key))
      .map((key) => this.names.get(key)!);
  }

  /** The record's lists as a formula reads `{Lists}`, or null until they are read. */
  forFormulas = (recordId: string): string[] | null =>
    this.loaded ? listsValue(this.of(recordId)) : null;

  /** Applies the moves among these events; answers the records whose lists changed. */
  apply(events: readonly MoveEvent[]): Set<string> {
    const moved = new Set<string>();
    for (const e of events) {
      if (e.type !== 'MembershipAdded' && e.type !== 'MembershipRemoved') continue;
      const { record_id, list } = e.data as { record_id: string; list: string };
      if (e.type === 'MembershipAdded') add(this.byRecord, record_id, list);
      else this.byRecord.get(record_id)?.delete(list);
      moved.add(record_id);
    }
    if (moved.size) for (const w of this.watchers) w();
    return moved;
  }
}

function add(byRecord: Map<string, Set<string>>, recordId: string, list: string): void {
  let set = byRecord.get(recordId);
  if (!set) byRecord.set(recordId, (set = new Set()));
  set.add(list);
}
