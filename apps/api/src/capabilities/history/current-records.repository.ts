import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';
import { StoredRecord } from './stored-record';

type Row = [
  seq: number,
  id: string,
  table_id: string,
  version: number,
  archived: number,
  values_json: string,
];

/**
 * The grid read model's records as a restore compares them: values, archived and version only. A
 * restore to a moment long ago compares nearly every record; one scan that leaves the values in
 * their JSON (and the cell stamps unread) costs a fraction of a point query per record.
 */
export class CurrentRecordsRepository {
  private readonly scan: Statement;

  constructor(db: Sqlite) {
    // No ORDER BY: SQLite would copy every whole row into a temporary B-tree to sort it; sorting the
    // rows by seq here costs a fraction of that.
    this.scan = db
      .prepare('SELECT seq, id, table_id, version, archived, values_json FROM fundraising_records')
      .raw(true);
  }

  /**
   * Every record, archived ones too, in the order they were created. Read at once; each record is
   * made as it is reached, so a caller that compares them one at a time keeps the rows alive but not
   * a second object per record for the collector to copy.
   */
  inOrder(): Iterable<StoredRecord> {
    const rows = this.scan.all() as Row[];
    rows.sort((a, b) => a[0] - b[0]);
    return {
      *[Symbol.iterator]() {
        for (const r of rows) yield new StoredRecord(r[1], r[2], r[3], r[4] === 1, r[5]);
      },
    };
  }

  /** The same, by id. */
  all(): Map<string, StoredRecord> {
    const records = new Map<string, StoredRecord>();
    for (const r of this.inOrder()) records.set(r.id, r);
    return records;
  }
}
