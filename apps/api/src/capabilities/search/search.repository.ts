import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

/** One searched cell. */
export interface SearchEntry {
  record_id: string;
  table_id: string;
  field_id: string;
  is_primary: boolean;
  archived: boolean;
  text: string;
}

/** A cell that matched, with what ranks it. */
export interface SearchHit {
  record_id: string;
  table_id: string;
  field_id: string;
  is_primary: number;
  text: string;
  folded: string;
}

export interface HitFilter {
  tables: string[] | null;
  archived: boolean;
  limit: number;
}

const HIT = 'e.record_id, e.table_id, e.field_id, e.is_primary, e.text, e.folded';

/** All SQL over `search_entries` and its FTS5 indexes (external content: kept in step here). */
export class SearchRepository {
  private readonly stmts: Record<string, Statement>;

  constructor(readonly db: Sqlite) {
    const fts = (kind: 'primary' | 'other') => ({
      index: db.prepare(`INSERT INTO search_${kind}_text (rowid, text) VALUES (?, ?)`),
      unindex: db.prepare(
        `INSERT INTO search_${kind}_text (search_${kind}_text, rowid, text) VALUES ('delete', ?, ?)`,
      ),
    });
    const primary = fts('primary');
    const other = fts('other');
    this.stmts = {
      get: db.prepare(
        'SELECT id, text, is_primary FROM search_entries WHERE record_id = ? AND field_id = ?',
      ),
      insert: db.prepare(
        'INSERT INTO search_entries (record_id, table_id, field_id, is_primary, archived, text, folded) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      update: db.prepare('UPDATE search_entries SET text = ?, folded = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM search_entries WHERE id = ?'),
      indexPrimary: primary.index,
      unindexPrimary: primary.unindex,
      indexOther: other.index,
      unindexOther: other.unindex,
      archivedOf: db.prepare(
        'SELECT archived FROM search_entries WHERE record_id = ? ORDER BY field_id LIMIT 1',
      ),
      archive: db.prepare('UPDATE search_entries SET archived = ? WHERE record_id = ?'),
      ofField: db.prepare('SELECT id, text, is_primary FROM search_entries WHERE field_id = ?'),
      removeField: db.prepare('DELETE FROM search_entries WHERE field_id = ?'),
      checkpoint: db.prepare('SELECT position FROM search_checkpoint WHERE id = 1'),
      setCheckpoint: db.prepare('UPDATE search_checkpoint SET position = ? WHERE id = 1'),
    };
  }

  /** Sets a cell's text (null: the cell has none to find). */
  put(e: Omit<SearchEntry, 'text'> & { text: string | null }, folded: string | null): void {
    const old = this.stmts.get.get(e.record_id, e.field_id) as
      { id: number; text: string; is_primary: number } | undefined;
    if (old?.text === e.text) return;
    if (old) this.unindex(old);
    if (e.text === null || folded === null) {
      if (old) this.stmts.remove.run(old.id);
      return;
    }
    let id: number;
    if (old) {
      this.stmts.update.run(e.text, folded, old.id);
      id = old.id;
    } else
      id = Number(
        this.stmts.insert.run(
          e.record_id,
          e.table_id,
          e.field_id,
          e.is_primary ? 1 : 0,
          e.archived ? 1 : 0,
          e.text,
          folded,
        ).lastInsertRowid,
      );
    (e.is_primary ? this.stmts.indexPrimary : this.stmts.indexOther).run(id, e.text);
  }

  /** Whether the record's entries are archived; undefined when it has none. */
  archivedOf(recordId: string): boolean | undefined {
    const row = this.stmts.archivedOf.get(recordId) as { archived: number } | undefined;
    return row && row.archived === 1;
  }

  setArchived(recordId: string, archived: boolean): void {
    this.stmts.archive.run(archived ? 1 : 0, recordId);
  }

  /** Every entry of a field goes (the field was removed, or is about to be indexed again). */
  dropField(fieldId: string): void {
    const rows = this.stmts.ofField.all(fieldId) as {
      id: number;
      text: string;
      is_primary: number;
    }[];
    for (const row of rows) this.unindex(row);
    this.stmts.removeField.run(fieldId);
  }

  /** The log position the index has read up to. */
  checkpoint(): number {
    return (this.stmts.checkpoint.get() as { position: number } | undefined)?.position ?? 0;
  }

  setCheckpoint(position: number): void {
    this.stmts.setCheckpoint.run(position);
  }

  /** An empty index that has read nothing: the indexer reads the whole log again. */
  reset(): void {
    this.setCheckpoint(0);
    this.db.exec('DELETE FROM search_entries');
    for (const kind of ['primary', 'other'])
      this.db.exec(`INSERT INTO search_${kind}_text (search_${kind}_text) VALUES ('delete-all')`);
  }

  private unindex(row: { id: number; text: string; is_primary: number }): void {
    (row.is_primary ? this.stmts.unindexPrimary : this.stmts.unindexOther).run(row.id, row.text);
  }

  /** The text of each record's primary field, for those that have one. */
  titles(recordIds: string[]): Map<string, string> {
    if (!recordIds.length) return new Map();
    const rows = this.db
      .prepare(
        // By the (record, field) key; `+` keeps the planner off the index on is_primary.
        `SELECT record_id, text FROM search_entries WHERE record_id IN (${recordIds.map(() => '?').join(', ')}) AND +is_primary = 1`,
      )
      .all(...recordIds) as { record_id: string; text: string }[];
    return new Map(rows.map((r) => [r.record_id, r.text]));
  }

  /** Cells whose folded text starts with `prefix` (primary fields or the others), by that text. */
  startingWith(prefix: string, primary: boolean, f: HitFilter): SearchHit[] {
    const { where, params } = filterSql(f);
    return this.db
      .prepare(
        `SELECT ${HIT} FROM search_entries e INDEXED BY search_entries_folded
        WHERE e.is_primary = ? AND e.folded >= ? AND e.folded < ?${where} ORDER BY e.folded LIMIT ?`,
      )
      .all(primary ? 1 : 0, prefix, `${prefix}\u{10ffff}`, ...params, f.limit) as SearchHit[];
  }

  /**
   * Cells whose text holds every one of `terms` (three characters or more each), anywhere; a term
   * given as a list is any one of its pieces.
   */
  containing(terms: (string | string[])[], primary: boolean, f: HitFilter): SearchHit[] {
    const { where, params } = filterSql(f);
    const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
    const match = terms
      .map((t) => (Array.isArray(t) ? `(${t.map(quote).join(' OR ')})` : quote(t)))
      .join(' AND ');
    return this.db
      .prepare(
        `SELECT ${HIT} FROM ${primary ? 'search_primary_text' : 'search_other_text'} s
        JOIN search_entries e ON e.id = s.rowid WHERE s.text MATCH ?${where} LIMIT ?`,
      )
      .all(match, ...params, f.limit) as SearchHit[];
  }
}

function filterSql(f: HitFilter): { where: string; params: unknown[] } {
  let where = f.archived ? '' : ' AND e.archived = 0';
  const params: unknown[] = [];
  if (f.tables) {
    where += ` AND e.table_id IN (${f.tables.map(() => '?').join(', ')})`;
    params.push(...f.tables);
  }
  return { where, params };
}
