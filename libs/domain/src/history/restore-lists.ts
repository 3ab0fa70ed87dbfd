import { orderedLists } from '../filter/list-order';

/** Each record's lists at a moment: record id → its lists. */
export type ListsByRecord = ReadonlyMap<string, ReadonlySet<string>>;

/** A record whose lists a restore puts back: the lists it is in now and those it was in then. */
export interface ListsToRestore {
  record_id: string;
  table_id: string;
  from: string[];
  to: string[];
}

/** One list move that puts a record's lists back. */
export interface ListMoveBack {
  record_id: string;
  list: string;
  op: 'add' | 'remove';
}

const NONE: ReadonlySet<string> = new Set();

/**
 * What a restore to a moment does to the lists: every record live after the restore (live then)
 * whose lists differ goes back to the lists it was in then, whoever moved it since (a person or a
 * rule), as its cells go back. A record the restore archives keeps its lists, as an archived
 * record does. `all` is kept by the system and never compared. `recordThen` reads a record as it
 * was at the moment; only records in a list at either moment are read.
 */
export function listsToRestore(
  recordThen: (id: string) => { table_id: string; archived: boolean } | undefined,
  then: ListsByRecord,
  now: ListsByRecord,
): ListsToRestore[] {
  const out: ListsToRestore[] = [];
  for (const id of new Set([...now.keys(), ...then.keys()])) {
    const r = recordThen(id);
    if (!r || r.archived) continue;
    const from = orderedLists(now.get(id) ?? NONE);
    const to = orderedLists(then.get(id) ?? NONE);
    if (from.join() !== to.join()) out.push({ record_id: id, table_id: r.table_id, from, to });
  }
  return out;
}

/** The moves that make each record's lists what they were: leave the lists it joined since, rejoin those it left. */
export function listMovesBack(changes: readonly ListsToRestore[]): ListMoveBack[] {
  return changes.flatMap((c) => [
    ...c.from
      .filter((l) => !c.to.includes(l))
      .map((list) => ({ record_id: c.record_id, list, op: 'remove' as const })),
    ...c.to
      .filter((l) => !c.from.includes(l))
      .map((list) => ({ record_id: c.record_id, list, op: 'add' as const })),
  ]);
}

/** A list move as the log holds it. */
export interface LoggedMove {
  type: string;
  data: unknown;
}

/**
 * What rolling back a batch (or one person's window) does to the lists: its list moves taken back,
 * newest first, over the lists the records are in now. `live` tells whether a record is live after
 * the rollback (a record it archives keeps its lists). In the order the records were first moved.
 */
export function listsUndoing(
  moves: readonly LoggedMove[],
  now: (recordId: string) => ReadonlySet<string>,
  live: (recordId: string) => { table_id: string } | undefined,
): ListsToRestore[] {
  const after = new Map<string, Set<string>>();
  const order: string[] = [];
  for (const e of [...moves].reverse()) {
    if (e.type !== 'MembershipAdded' && e.type !== 'MembershipRemoved') continue;
    const { record_id, list } = e.data as { record_id: string; list: string };
    let set = after.get(record_id);
    if (!set) {
      after.set(record_id, (set = new Set(now(record_id))));
      order.unshift(record_id);
    }
    if (e.type === 'MembershipAdded') set.delete(list);
    else set.add(list);
  }
  const out: ListsToRestore[] = [];
  for (const id of order) {
    const r = live(id);
    if (!r) continue;
    const from = orderedLists(now(id));
    const to = orderedLists(after.get(id)!);
    if (from.join() !== to.join()) out.push({ record_id: id, table_id: r.table_id, from, to });
  }
  return out;
}
