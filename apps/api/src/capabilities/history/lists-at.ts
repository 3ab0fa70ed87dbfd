import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

/** Each record's lists at a log position: record id → its lists. */
export type ListsThen = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The records' lists at a moment of the log, from its list moves up to that position (read along
 * the (type, position) index), never from the memberships' read model: what a view as of that
 * moment and a restore to it read.
 */
export class ListsAt {
  private readonly moves: Statement;

  constructor(db: Sqlite) {
    this.moves = db
      .prepare(
        `SELECT type, json_extract(data, '$.record_id'), json_extract(data, '$.list') FROM events
         WHERE type IN ('MembershipAdded', 'MembershipRemoved') AND position <= ? ORDER BY position`,
      )
      .raw(true);
  }

  at(position: number): ListsThen {
    const out = new Map<string, Set<string>>();
    for (const [type, record, list] of this.moves.iterate(position) as Iterable<
      [string, string, string]
    >) {
      let set = out.get(record);
      if (!set) out.set(record, (set = new Set()));
      if (type === 'MembershipAdded') set.add(list);
      else set.delete(list);
    }
    return out;
  }
}
