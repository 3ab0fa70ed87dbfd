import { type CellValues, type FieldDefinition } from '@crm/events';
import {
  type RecordState,
  type TableState,
  type TeamDirectory,
  type TeamMember,
  type ViewState,
} from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';
import { CellLookups } from './cell-lookups';
import { RecordParts } from './record-parts';

export interface RecordRow {
  id: string;
  table_id: string;
  seq: number;
  values_json: string;
  cells_json: string;
  archived: number;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  formula_json: string;
}

interface TableRow {
  id: string;
  name: string;
  role: string | null;
  primary_field_id: string;
  fields: string;
  sort_order: number;
  version: number;
}

export const toRecordState = (r: RecordRow): RecordState => ({
  id: r.id,
  table_id: r.table_id,
  values: JSON.parse(r.values_json) as CellValues,
  archived: r.archived === 1,
  version: r.version,
  created_at: r.created_at,
  created_by: r.created_by,
  updated_at: r.updated_at,
  updated_by: r.updated_by,
  cells: JSON.parse(r.cells_json),
  ...(r.formula_json && r.formula_json !== '{}'
    ? { computed: JSON.parse(r.formula_json) as Record<string, unknown> }
    : {}),
});

const computedJson = (r: RecordState): string => (r.computed ? JSON.stringify(r.computed) : '{}');

const toTableState = (r: TableRow): TableState => ({
  id: r.id,
  name: r.name,
  role: r.role,
  primary_field_id: r.primary_field_id,
  fields: JSON.parse(r.fields) as FieldDefinition[],
  version: r.version,
});

/** All SQL over the grid read model. The schema is small and cached; records are read on demand. */
export class FundraisingRepository {
  private schema: Map<string, TableState> | null = null;
  private readonly stmts: Record<string, Statement>;

  /** Records read in part (see recordPicking), held while their version stands. */
  private readonly parts: RecordParts;
  /** Look-ups by one cell, read inside SQLite without loading records. */
  readonly cells: CellLookups;

  constructor(readonly db: Sqlite) {
    this.parts = new RecordParts(db);
    this.cells = new CellLookups(db);
    this.stmts = {
      tables: db.prepare('SELECT * FROM fundraising_tables ORDER BY sort_order'),
      record: db.prepare('SELECT * FROM fundraising_records WHERE id = ?'),
      liveTableOf: db
        .prepare('SELECT table_id FROM fundraising_records WHERE id = ? AND archived = 0')
        .pluck(),
      recordsOf: db.prepare('SELECT * FROM fundraising_records WHERE table_id = ? ORDER BY seq'),
      countOf: db.prepare('SELECT COUNT(*) AS n FROM fundraising_records WHERE table_id = ?'),
      between: db.prepare(
        'SELECT * FROM fundraising_records WHERE table_id = ? AND seq > ? AND seq < ? ORDER BY seq LIMIT ?',
      ),
      seqRange: db.prepare(
        'SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM fundraising_records WHERE table_id = ? AND archived = ?',
      ),
      seqFrom: db.prepare(
        'SELECT * FROM fundraising_records WHERE table_id = ? AND archived = ? AND seq >= ? ORDER BY seq LIMIT 1',
      ),
      // In (table_id, archived, seq) order, straight off the index; cell stamps are left out.
      livePage:
        db.prepare(`SELECT id, table_id, seq, values_json, '{}' AS cells_json, archived, version, created_at, created_by, updated_at, updated_by, formula_json
        FROM fundraising_records WHERE table_id = ? AND archived = 0 AND seq > ? ORDER BY seq LIMIT ?`),
      view: db.prepare('SELECT * FROM fundraising_views WHERE id = ?'),
      viewIds: db.prepare('SELECT id FROM fundraising_views ORDER BY rowid'),
      insertTable: db.prepare(
        'INSERT INTO fundraising_tables (id, name, role, primary_field_id, fields, sort_order, version) VALUES (?, ?, ?, ?, ?, (SELECT COUNT(*) FROM fundraising_tables), ?)',
      ),
      updateTable: db.prepare(
        'UPDATE fundraising_tables SET name = ?, fields = ?, version = ? WHERE id = ?',
      ),
      insertRecord:
        db.prepare(`INSERT OR IGNORE INTO fundraising_records (id, table_id, seq, values_json, cells_json, archived, version, created_at, created_by, updated_at, updated_by, formula_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      updateRecord: db.prepare(
        'UPDATE fundraising_records SET values_json = ?, cells_json = ?, archived = ?, version = ?, updated_at = ?, updated_by = ?, formula_json = ? WHERE id = ?',
      ),
      // Without `archived`: SQLite rewrites an index entry whenever the UPDATE assigns one of its
      // columns, changed or not, and the page index holds `archived` (a page more per commit).
      updateRecordInPlace: db.prepare(
        'UPDATE fundraising_records SET values_json = ?, cells_json = ?, version = ?, updated_at = ?, updated_by = ?, formula_json = ? WHERE id = ?',
      ),
      updateComputed: db.prepare('UPDATE fundraising_records SET formula_json = ? WHERE id = ?'),
      stripField: db.prepare(
        `UPDATE fundraising_records SET values_json = json_remove(values_json, ?), cells_json = json_remove(cells_json, ?) WHERE table_id = ? AND (json_type(values_json, ?) IS NOT NULL OR json_type(cells_json, ?) IS NOT NULL)`,
      ),
      state: db.prepare(
        'SELECT version, updated_at, updated_by FROM fundraising_state WHERE id = 1',
      ),
      member: db.prepare('SELECT id, name, email, disabled FROM users WHERE id = ?'),
      members: db.prepare('SELECT id, name, email, disabled FROM users'),
      lists: db.prepare('SELECT list FROM fundraising_memberships WHERE record_id = ?').pluck(),
      setState: db.prepare(
        'INSERT INTO fundraising_state (id, version, updated_at, updated_by) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      ),
    };
  }

  /**
   * A member of the team, from the accounts' read model (projected from the same log, in the same
   * order, so a replay reads the same names): whom a people field may name, and their name in formulas.
   */
  readonly member: TeamDirectory = (id) => {
    const r = this.stmts.member.get(id) as
      { id: string; name: string; email: string; disabled: number } | undefined;
    return r && { id: r.id, name: r.name, email: r.email, disabled: r.disabled === 1 };
  };

  /** The lists a record is in, from the memberships' read model (for formulas reading `{Lists}`). */
  listsOf(recordId: string): string[] {
    return this.stmts.lists.all(recordId) as string[];
  }

  /** Every member of the team (a handful of accounts). */
  teamMembers(): TeamMember[] {
    return (
      this.stmts.members.all() as { id: string; name: string; email: string; disabled: number }[]
    ).map((r) => ({ ...r, disabled: r.disabled === 1 }));
  }

  /** Drops the cached schema; called when a table event is applied or a transaction rolls back. */
  invalidateSchema(): void {
    this.schema = null;
    this.parts.clear();
  }

  tables(): TableState[] {
    return [...this.loadSchema().values()];
  }

  /** Projectors ask for a table on every event: a map lookup, no copy of the list. */
  table(id: string): TableState | undefined {
    return this.loadSchema().get(id);
  }

  tableByRole(role: string): TableState | undefined {
    for (const t of this.loadSchema().values()) if (t.role === role) return t;
    return undefined;
  }

  private loadSchema(): Map<string, TableState> {
    if (!this.schema)
      this.schema = new Map(
        (this.stmts.tables.all() as TableRow[]).map((r) => [r.id, toTableState(r)]),
      );
    return this.schema;
  }

  record(id: string): RecordState | undefined {
    const row = this.stmts.record.get(id) as RecordRow | undefined;
    return row && toRecordState(row);
  }

  /** The table of a live record; undefined when there is no such record or it is archived. */
  liveTableOf(id: string): string | undefined {
    return this.stmts.liveTableOf.get(id) as string | undefined;
  }

  /**
   * A record with only these stored values (the others left out): a fund's row holds thousands of
   * links that a formula over its rollups never reads, and parsing them would cost more than the rest.
   */
  recordPicking(id: string, fieldIds: readonly string[]): RecordState | undefined {
    return this.parts.record(id, fieldIds);
  }

  *recordsOf(tableId: string): IterableIterator<RecordState> {
    // Materialised first: a caller may write while iterating.
    for (const row of this.stmts.recordsOf.all(tableId) as RecordRow[]) yield toRecordState(row);
  }

  /** How many records a table holds, archived ones too. */
  countOf(tableId: string): number {
    return (this.stmts.countOf.get(tableId) as { n: number }).n;
  }

  /** Up to `limit` records of a table with `afterSeq < seq < beforeSeq`, in creation order, with their `seq`. */
  recordsBetween(
    tableId: string,
    afterSeq: number,
    beforeSeq: number,
    limit: number,
  ): { record: RecordState; seq: number }[] {
    const rows = this.stmts.between.all(tableId, afterSeq, beforeSeq, limit) as RecordRow[];
    return rows.map((r) => ({ record: toRecordState(r), seq: r.seq }));
  }

  /** Live records after `afterSeq` with only the values of these fields read (see RecordParts.liveBetween). */
  liveRecordsPicking(
    tableId: string,
    afterSeq: number,
    limit: number,
    fieldIds: readonly string[],
  ): { record: RecordState; seq: number }[] {
    return this.parts.liveBetween(tableId, afterSeq, limit, fieldIds);
  }

  /**
   * How many records a table holds (archived ones too) and up to `size` of them spread over its
   * creation order, live ones when there are any, each found by a seek on the index: a formula's
   * cost is estimated without reading the whole table.
   */
  recordSample(tableId: string, size: number): { count: number; sample: RecordState[] } {
    const count = this.countOf(tableId);
    const sample: RecordState[] = [];
    for (const archived of [0, 1]) {
      const { lo, hi } = this.stmts.seqRange.get(tableId, archived) as {
        lo: number | null;
        hi: number | null;
      };
      if (lo === null || hi === null) continue;
      const seen = new Set<string>();
      for (let i = 0; i < size; i++) {
        const row = this.stmts.seqFrom.get(
          tableId,
          archived,
          lo + Math.floor(((hi - lo + 1) * i) / size),
        ) as RecordRow | undefined;
        if (row && !seen.has(row.id)) {
          seen.add(row.id);
          sample.push(toRecordState(row));
        }
      }
      break;
    }
    return { count, sample };
  }

  /**
   * Live records of a table in creation order, a page at a time after `afterSeq`, without the
   * per-cell stamps (`cells` is empty): what a reader of values needs, such as an export.
   */
  liveRecordsPage(
    tableId: string,
    afterSeq: number,
    limit: number,
  ): { records: RecordState[]; last_seq: number } {
    const rows = this.stmts.livePage.all(tableId, afterSeq, limit) as RecordRow[];
    return {
      records: rows.map(toRecordState),
      last_seq: rows.length ? rows[rows.length - 1].seq : afterSeq,
    };
  }

  view(id: string): ViewState | undefined {
    const row = this.stmts.view.get(id) as
      { id: string; table_id: string; name: string; config: string; version: number } | undefined;
    return (
      row && {
        id: row.id,
        table_id: row.table_id,
        name: row.name,
        config: JSON.parse(row.config),
        version: row.version,
      }
    );
  }

  viewIds(): string[] {
    return (this.stmts.viewIds.all() as { id: string }[]).map((r) => r.id);
  }

  state(): { version: number; updated_at: string | null; updated_by: string | null } {
    return (
      (this.stmts.state.get() as
        { version: number; updated_at: string; updated_by: string } | undefined) ?? {
        version: 0,
        updated_at: null,
        updated_by: null,
      }
    );
  }

  // ---- writes, used by the grid projector only ----

  insertTable(t: TableState): void {
    this.stmts.insertTable.run(
      t.id,
      t.name,
      t.role,
      t.primary_field_id,
      JSON.stringify(t.fields),
      t.version,
    );
    this.invalidateSchema();
  }

  updateTable(t: TableState): void {
    this.stmts.updateTable.run(t.name, JSON.stringify(t.fields), t.version, t.id);
    this.invalidateSchema();
  }

  insertRecord(r: RecordState, seq: number): void {
    this.stmts.insertRecord.run(
      r.id,
      r.table_id,
      seq,
      JSON.stringify(r.values),
      JSON.stringify(r.cells),
      r.archived ? 1 : 0,
      r.version,
      r.created_at,
      r.created_by,
      r.updated_at,
      r.updated_by,
      computedJson(r),
    );
  }

  /** `archivedFrom`: the flag the stored row holds, when known; the row's index is left alone when it stays. */
  updateRecord(r: RecordState, archivedFrom?: boolean): void {
    if (archivedFrom === r.archived) {
      this.stmts.updateRecordInPlace.run(
        JSON.stringify(r.values),
        JSON.stringify(r.cells),
        r.version,
        r.updated_at,
        r.updated_by,
        computedJson(r),
        r.id,
      );
      return;
    }
    this.stmts.updateRecord.run(
      JSON.stringify(r.values),
      JSON.stringify(r.cells),
      r.archived ? 1 : 0,
      r.version,
      r.updated_at,
      r.updated_by,
      computedJson(r),
      r.id,
    );
  }

  /** Formula values only (a formula field added or changed recomputes every record of its table). */
  updateComputed(id: string, computed: Record<string, unknown>): void {
    this.stmts.updateComputed.run(JSON.stringify(computed), id);
  }

  stripField(tableId: string, fieldId: string): void {
    const path = `$."${fieldId}"`;
    this.stmts.stripField.run(path, path, tableId, path, path);
    this.parts.clear();
  }

  setState(version: number, updatedAt: string, updatedBy: string): void {
    this.stmts.setState.run(version, updatedAt, updatedBy);
  }
}
