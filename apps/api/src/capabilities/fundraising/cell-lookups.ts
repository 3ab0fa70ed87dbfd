import { type NamedRecord } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

const pathOf = (fieldId: string) => `$.${JSON.stringify(fieldId)}`;

/**
 * Look-ups of the grid's records by one cell, read inside SQLite: no record is loaded or parsed
 * whole, so a look-up across a table of 100,000 investors costs a scan, not a read of it.
 */
export class CellLookups {
  private readonly named: Statement;
  private readonly namesInStmt: Statement;
  private readonly filled: Statement;
  private readonly anyFilled: Statement;

  constructor(db: Sqlite) {
    this.named = db
      .prepare(
        `SELECT id, json_extract(values_json, ?) AS value, json_type(values_json, ?) AS type
         FROM fundraising_records WHERE table_id = ? AND archived = 0 ORDER BY seq`,
      )
      .raw(true);
    this.namesInStmt = db.prepare(
      `SELECT DISTINCT json_extract(values_json, ?) AS name FROM fundraising_records
       WHERE table_id = ? AND archived = 0 AND json_extract(values_json, ?) IN (SELECT value FROM json_each(?))`,
    );
    this.filled = db
      .prepare(
        `SELECT id FROM fundraising_records WHERE table_id = ? AND archived = 0
         AND json_extract(values_json, ?) IS NOT NULL`,
      )
      .pluck();
    this.anyFilled = db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM fundraising_records WHERE table_id = ? AND archived = 0
         AND json_extract(values_json, ?) IS NOT NULL)`,
      )
      .pluck();
  }

  /**
   * A table's live records with only their `fieldId` cell (its name, for a primary field): what a
   * look-up by name needs (an import planning links into a table of 100,000 investors read them
   * whole for half a second).
   */
  *namedRecordsOf(tableId: string, fieldId: string): IterableIterator<NamedRecord> {
    const path = pathOf(fieldId);
    const rows = this.named.all(path, path, tableId) as [string, unknown, string | null][];
    for (const [id, value, type] of rows) {
      const cell =
        type === 'array' || type === 'object'
          ? JSON.parse(value as string)
          : type === 'true' || type === 'false'
            ? type === 'true'
            : value;
      yield {
        id,
        table_id: tableId,
        archived: false,
        values: type === null ? {} : { [fieldId]: cell },
      };
    }
  }

  /** Which of `names` are the value of a live record's field, compared exactly. */
  namesIn(tableId: string, fieldId: string, names: readonly string[]): Set<string> {
    const path = pathOf(fieldId);
    const rows = this.namesInStmt.all(path, tableId, path, JSON.stringify(names)) as {
      name: string;
    }[];
    return new Set(rows.map((r) => r.name));
  }

  /** The live records of a table whose `fieldId` cell holds anything. */
  idsWithValue(tableId: string, fieldId: string): string[] {
    return this.filled.all(tableId, pathOf(fieldId)) as string[];
  }

  /** Whether any live record of a table has its `fieldId` cell filled (stops at the first). */
  anyWithValue(tableId: string, fieldId: string): boolean {
    return this.anyFilled.get(tableId, pathOf(fieldId)) === 1;
  }
}
