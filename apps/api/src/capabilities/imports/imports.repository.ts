import type { ImportSessionView } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { BlobParts } from '../../infrastructure/database/blob-parts';
import { type Sqlite } from '../../infrastructure/database/database';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';

/** One import session as stored: the parsed file and the choices made about it (the view's plain fields as they are). */
export interface ImportSessionRow extends Pick<
  ImportSessionView,
  | 'id'
  | 'status'
  | 'file_name'
  | 'file_bytes'
  | 'encoding'
  | 'delimiter'
  | 'table_id'
  | 'new_table_name'
  | 'merge_fields'
  | 'base_version'
  | 'correlation_id'
  | 'created_at'
  | 'created_by'
> {
  new_view_id: string | null;
  header: string[];
  row_count: number;
  columns: unknown;
  mapping: unknown;
  options: unknown;
  plan: unknown | null;
  plan_fingerprint: string | null;
  result: unknown | null;
  updated_at: string;
}

interface Raw {
  id: string;
  status: 'planned' | 'committed';
  file_name: string;
  file_bytes: number;
  encoding: string;
  delimiter: string;
  table_id: string;
  new_table_name: string | null;
  new_view_id: string | null;
  header_json: string;
  row_count: number;
  columns_json: string;
  mapping_json: string;
  merge_fields_json: string;
  options_json: string;
  plan_json: string | null;
  plan_fingerprint: string | null;
  base_version: number | null;
  result_json: string | null;
  correlation_id: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

const parseOr = <T>(s: string | null, fallback: T): T =>
  s === null ? fallback : (JSON.parse(s) as T);

const FILE_OWNER = 'import:';
const fileOwner = (id: string) => `${FILE_OWNER}${id}`;

/** All SQL over `imports`. */
export class ImportsRepository {
  private readonly stmts: Record<string, Statement>;

  private readonly parts: BlobParts;

  constructor(readonly db: Sqlite) {
    this.parts = new BlobParts(db);
    const cols = `id, status, file_name, file_bytes, encoding, delimiter, table_id, new_table_name, new_view_id, header_json, row_count, columns_json,
      mapping_json, merge_fields_json, options_json, plan_json, plan_fingerprint, base_version, result_json, correlation_id, created_at, created_by, updated_at`;
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO imports (${cols}, file_blob, file_gzip, file_parts) VALUES (${cols
          .split(',')
          .map(() => '?')
          .join(', ')}, ?, ?, ?)`,
      ),
      get: db.prepare(`SELECT ${cols} FROM imports WHERE id = ?`),
      file: db.prepare(
        'SELECT file_blob AS bytes, file_gzip AS gzip, file_parts AS parts FROM imports WHERE id = ?',
      ),
      ids: db.prepare('SELECT id FROM imports').pluck(),
      pruned: db
        .prepare('SELECT id FROM imports WHERE created_at < ? AND writing_json IS NULL')
        .pluck(),
      savePlan: db.prepare(
        'UPDATE imports SET mapping_json = ?, merge_fields_json = ?, options_json = ?, plan_json = ?, plan_fingerprint = ?, base_version = ?, updated_at = ? WHERE id = ?',
      ),
      commit: db.prepare(
        `UPDATE imports SET status = 'committed', result_json = ?, correlation_id = ?, file_blob = NULL, writing_json = NULL, updated_at = ? WHERE id = ? AND status = 'planned'`,
      ),
      prune: db.prepare('DELETE FROM imports WHERE created_at < ? AND writing_json IS NULL'),
      stageSlice: db.prepare(
        'INSERT OR REPLACE INTO import_slices (import_id, seq, command_json) VALUES (?, ?, ?)',
      ),
      slice: db.prepare('SELECT command_json FROM import_slices WHERE import_id = ? AND seq = ?'),
      dropSlice: db.prepare('DELETE FROM import_slices WHERE import_id = ? AND seq = ?'),
      dropSlices: db.prepare('DELETE FROM import_slices WHERE import_id = ?'),
      writing: db.prepare('SELECT writing_json FROM imports WHERE id = ?'),
      setWriting: db.prepare(
        "UPDATE imports SET writing_json = ?, updated_at = ? WHERE id = ? AND status = 'planned'",
      ),
      unfinished: db.prepare(
        "SELECT id FROM imports WHERE writing_json IS NOT NULL AND status = 'planned' ORDER BY updated_at",
      ),
      orphanSlices: db.prepare(
        "DELETE FROM import_slices WHERE import_id NOT IN (SELECT id FROM imports WHERE writing_json IS NOT NULL AND status = 'planned')",
      ),
    };
  }

  /**
   * `file` is the upload as it came, or gzipped when `gzip` says so; or `parts` > 0 when it was
   * written before the row, in parts (see writeFile), and the row holds none of it.
   */
  insert(s: ImportSessionRow, file: Uint8Array | null, gzip: boolean, parts = 0): void {
    this.stmts.insert.run(
      s.id,
      s.status,
      s.file_name,
      s.file_bytes,
      s.encoding,
      s.delimiter,
      s.table_id,
      s.new_table_name,
      s.new_view_id,
      JSON.stringify(s.header),
      s.row_count,
      JSON.stringify(s.columns),
      JSON.stringify(s.mapping),
      JSON.stringify(s.merge_fields),
      JSON.stringify(s.options),
      s.plan === null ? null : JSON.stringify(s.plan),
      s.plan_fingerprint,
      s.base_version,
      s.result === null ? null : JSON.stringify(s.result),
      s.correlation_id,
      s.created_at,
      s.created_by,
      s.updated_at,
      file && Buffer.from(file.buffer, file.byteOffset, file.byteLength),
      gzip ? 1 : 0,
      parts,
    );
  }

  /**
   * The uploaded file of session `id`, written in parts before its row is inserted: a file of
   * 100,000 rows written in one insert held the write lock for tens of milliseconds.
   */
  writeFile(uow: UnitOfWork, id: string, file: Uint8Array, at: string): Promise<number> {
    return this.parts.write(uow, fileOwner(id), file, at);
  }

  get(id: string): ImportSessionRow | undefined {
    const r = this.stmts.get.get(id) as Raw | undefined;
    if (!r) return undefined;
    return {
      id: r.id,
      status: r.status,
      file_name: r.file_name,
      file_bytes: r.file_bytes,
      encoding: r.encoding,
      delimiter: r.delimiter,
      table_id: r.table_id,
      new_table_name: r.new_table_name,
      new_view_id: r.new_view_id,
      header: JSON.parse(r.header_json),
      row_count: r.row_count,
      columns: JSON.parse(r.columns_json),
      mapping: JSON.parse(r.mapping_json),
      merge_fields: JSON.parse(r.merge_fields_json),
      options: JSON.parse(r.options_json),
      plan: parseOr(r.plan_json, null),
      plan_fingerprint: r.plan_fingerprint,
      base_version: r.base_version,
      result: parseOr(r.result_json, null),
      correlation_id: r.correlation_id,
      created_at: r.created_at,
      created_by: r.created_by,
      updated_at: r.updated_at,
    };
  }

  /** Removes a file written for a session that was then not inserted. */
  dropFile(id: string): void {
    this.parts.drop(fileOwner(id));
  }

  /** The uploaded file, kept until the import is committed (the rows are read from it again after a restart). */
  file(id: string): { bytes: Buffer; gzip: boolean } | null {
    const row = this.stmts.file.get(id) as
      { bytes: Buffer | null; gzip: number; parts: number } | undefined;
    if (!row) return null;
    if (row.parts > 0) return { bytes: this.parts.read(fileOwner(id)), gzip: row.gzip === 1 };
    return row.bytes ? { bytes: row.bytes, gzip: row.gzip === 1 } : null;
  }

  savePlan(
    id: string,
    p: {
      mapping: unknown;
      merge_fields: string[];
      options: unknown;
      plan: unknown;
      fingerprint: string;
      base_version: number;
      at: string;
    },
  ): void {
    this.stmts.savePlan.run(
      JSON.stringify(p.mapping),
      JSON.stringify(p.merge_fields),
      JSON.stringify(p.options),
      JSON.stringify(p.plan),
      p.fingerprint,
      p.base_version,
      p.at,
      id,
    );
  }

  markCommitted(id: string, result: unknown, correlationId: string, at: string): boolean {
    const committed = this.stmts.commit.run(JSON.stringify(result), correlationId, at, id).changes;
    if (committed === 1) this.parts.drop(fileOwner(id));
    return committed === 1;
  }

  /**
   * A slice of a commit, as JSON (as the planning thread hands it over), kept until it is written
   * (the commit's first slice is not staged).
   */
  stageSlice(id: string, seq: number, commandJson: string): void {
    this.stmts.stageSlice.run(id, seq, commandJson);
  }

  /** A staged slice still to write, or null when it is written (or was never staged). */
  slice<T>(id: string, seq: number): T | null {
    const raw = this.stmts.slice.pluck().get(id, seq) as string | undefined;
    return raw === undefined ? null : (JSON.parse(raw) as T);
  }

  dropSlice(id: string, seq: number): void {
    this.stmts.dropSlice.run(id, seq);
  }

  dropSlices(id: string): void {
    this.stmts.dropSlices.run(id);
  }

  /** The progress of a commit under way (written with each slice), or null. */
  writing<T>(id: string): T | null {
    const raw = this.stmts.writing.pluck().get(id) as string | null | undefined;
    return raw ? (JSON.parse(raw) as T) : null;
  }

  setWriting(id: string, writing: unknown, at: string): boolean {
    return this.stmts.setWriting.run(JSON.stringify(writing), at, id).changes === 1;
  }

  /** Imports whose writing began and has not finished (a crash stopped it). */
  unfinished(): string[] {
    return this.stmts.unfinished.pluck().all() as string[];
  }

  /** Slices staged for a commit whose first slice never committed: that commit did not happen. */
  dropOrphanSlices(): number {
    return this.stmts.orphanSlices.run().changes;
  }

  /** Sessions older than the cutoff go: their rows are copies of a file the person still has. */
  prune(before: string): number {
    for (const id of this.stmts.pruned.all(before) as string[]) this.parts.drop(fileOwner(id));
    const pruned = this.stmts.prune.run(before).changes;
    // Files whose session was never inserted (the process stopped between), once old enough that no upload is still writing them.
    const kept = new Set((this.stmts.ids.all() as string[]).map(fileOwner));
    for (const owner of this.parts.ownersBefore(FILE_OWNER, before))
      if (!kept.has(owner)) this.parts.drop(owner);
    return pruned;
  }
}
