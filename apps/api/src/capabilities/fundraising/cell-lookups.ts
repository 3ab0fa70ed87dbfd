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
  private readonly outOfStep: Statement;
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
    this.outOfStep = db
      .prepare(
        `SELECT id, seq, d IS NOT NULL AND (rs IS NULL OR st IS NOT
           (CASE WHEN d <= @stale THEN 'stale' WHEN d <= @aging THEN 'aging' ELSE '' END))
         FROM (SELECT id, seq, substr(json_extract(values_json, @date), 1, 10) AS d,
           coalesce(json_extract(values_json, @staleness), '') AS st,
           json_extract(values_json, @status) AS rs
           FROM fundraising_records WHERE table_id = @table AND archived = 0 AND seq > @after
           ORDER BY seq LIMIT @limit)`,
      )
      .raw(true);
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

  /**
   * One page (by creation order, after `after`) of a table's live records whose date cell (a last
   * contact) puts them in another staleness than their staleness cell holds (stale on or before
   * `staleFrom`, aging on or before `agingFrom`), or whose follow-up values were never written
   * (`status` empty); and the last position the page read (null at the end of the table).
   */
  stalenessOutOfStep(
    tableId: string,
    cells: { date: string; staleness: string; status: string },
    days: { agingFrom: string; staleFrom: string },
    after: number,
    limit: number,
  ): { ids: string[]; last: number | null } {
    const rows = this.outOfStep.all({
      table: tableId,
      date: pathOf(cells.date),
      staleness: pathOf(cells.staleness),
      status: pathOf(cells.status),
      aging: days.agingFrom,
      stale: days.staleFrom,
      after,
      limit,
    }) as [string, number, number][];
    return {
      ids: rows.filter((r) => r[2] === 1).map((r) => r[0]),
      last: rows.length < limit ? null : rows[rows.length - 1][1],
    };
  }

  /** Whether any live record of a table has its `fieldId` cell filled (stops at the first). */
  anyWithValue(tableId: string, fieldId: string): boolean {
    return this.anyFilled.get(tableId, pathOf(fieldId)) === 1;
  }
}
