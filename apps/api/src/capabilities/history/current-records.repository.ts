import type { Statement } from 'better-sqlite3';
import { Sqlite } from '../../infrastructure/database/database';
import { StoredRecord } from './stored-record';

/**
 * The grid read model's records as a restore compares them: values, archived and version only. A
 * restore to a moment long ago compares nearly every record; one scan that leaves the values in
 * their JSON (and the cell stamps unread) costs a fraction of a point query per record.
 */
export class CurrentRecordsRepository {
  private readonly scan: Statement;

  constructor(db: Sqlite) {
    this.scan = db.prepare('SELECT id, table_id, version, archived, values_json FROM fundraising_records ORDER BY seq').raw(true);
  }

  /** Every record, archived ones too, in the order they were created. */
  all(): Map<string, StoredRecord> {
    const records = new Map<string, StoredRecord>();
    for (const r of this.scan.all() as [string, string, number, number, string][]) records.set(r[0], new StoredRecord(r[0], r[1], r[2], r[3] === 1, r[4]));
    return records;
  }

  /**
   * The same records, streamed: a caller that compares them one at a time holds none of them past
   * its turn. Read inside one transaction, so the stream is one state of the table.
   */
  *each(): Generator<StoredRecord> {
    for (const r of this.scan.iterate() as IterableIterator<[string, string, number, number, string]>) yield new StoredRecord(r[0], r[1], r[2], r[3] === 1, r[4]);
  }
}
