import { type CellValues } from '@crm/events';
import { type RecordState } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';
import { type RecordRow, toRecordState } from './fundraising.repository';

type HeadRow = Omit<RecordRow, 'values_json' | 'cells_json' | 'seq'>;
const HEAD_COLUMNS =
  'id, table_id, archived, version, created_at, created_by, updated_at, updated_by, formula_json';

/** The values a row's `values_json -> ?` picks read (`f0`, `f1`… in the fields' order). */
function picked(row: Record<string, unknown>, fieldIds: readonly string[]): CellValues {
  const values: CellValues = {};
  fieldIds.forEach((f, i) => {
    const v = row[`f${i}`];
    if (typeof v === 'string') values[f] = JSON.parse(v) as CellValues[string];
  });
  return values;
}

/** At most this many records are held; past it the held ones are dropped (a few funds in practice). */
const MAX_HELD = 10_000;

/**
 * Records read with only some of their stored values. A fund's row holds thousands of links that a
 * formula over its rollups never reads: reading one value out of its JSON still parses the whole
 * text (about a millisecond at 15,000 links), so the values read are held with the record's version
 * and read again only when the version moved. Every change of a record's values is an event that
 * moves its version, except a field's removal (and a rolled-back command, whose version comes
 * again): the owner clears what is held then (see FundraisingRepository.invalidateSchema).
 */
export class RecordParts {
  private readonly head: Statement;
  private readonly picking = new Map<number, Statement>();
  /** By the number of fields picked. */
  private readonly paging = new Map<number, Statement>();
  /** By record and the fields read (a fund is read for its Currency and for its Target size). */
  private readonly held = new Map<string, { version: number; values: CellValues }>();

  constructor(private readonly db: Sqlite) {
    this.head = db.prepare(`SELECT ${HEAD_COLUMNS} FROM fundraising_records WHERE id = ?`);
  }

  record(id: string, fieldIds: readonly string[]): RecordState | undefined {
    const row = this.head.get(id) as HeadRow | undefined;
    if (!row) return undefined;
    const rest = { ...row, seq: 0, values_json: '{}', cells_json: '{}' };
    if (!fieldIds.length) return toRecordState(rest);
    const key = `${id}|${fieldIds.join(',')}`;
    let hit = this.held.get(key);
    if (!hit || hit.version !== row.version) {
      hit = { version: row.version, values: this.values(id, fieldIds) };
      if (this.held.size >= MAX_HELD) this.held.clear();
      this.held.set(key, hit);
    }
    return { ...toRecordState(rest), values: { ...hit.values } };
  }

  /**
   * Up to `limit` live records of a table after `afterSeq`, in creation order, with only these
   * stored values (and their computed ones): what a rule's conditions read of a whole table.
   */
  liveBetween(
    tableId: string,
    afterSeq: number,
    limit: number,
    fieldIds: readonly string[],
  ): { record: RecordState; seq: number }[] {
    let stmt = this.paging.get(fieldIds.length);
    if (!stmt) {
      const picks = fieldIds.map((_, i) => `, values_json -> ? AS f${i}`).join('');
      stmt = this.db.prepare(
        `SELECT ${HEAD_COLUMNS}, seq${picks} FROM fundraising_records
         WHERE table_id = ? AND archived = 0 AND seq > ? ORDER BY seq LIMIT ?`,
      );
      this.paging.set(fieldIds.length, stmt);
    }
    const paths = fieldIds.map((f) => `$."${f}"`);
    const rows = stmt.all(...paths, tableId, afterSeq, limit) as (HeadRow &
      Record<string, unknown> & { seq: number })[];
    return rows.map((row) => ({
      record: {
        ...toRecordState({ ...row, values_json: '{}', cells_json: '{}' }),
        values: picked(row, fieldIds),
      },
      seq: row.seq,
    }));
  }

  clear(): void {
    this.held.clear();
  }

  private values(id: string, fieldIds: readonly string[]): CellValues {
    if (!fieldIds.length) return {};
    let stmt = this.picking.get(fieldIds.length);
    if (!stmt) {
      const picks = fieldIds.map((_, i) => `values_json -> ? AS f${i}`).join(', ');
      stmt = this.db.prepare(`SELECT ${picks} FROM fundraising_records WHERE id = ?`);
      this.picking.set(fieldIds.length, stmt);
    }
    const row = stmt.get(...fieldIds.map((f) => `$."${f}"`), id) as Record<string, unknown>;
    return picked(row, fieldIds);
  }
}
