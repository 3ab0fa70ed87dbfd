import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * CSV import sessions: the uploaded file, the column mapping, the merge key and the last plan, while
 * someone reviews them. Working state, not a read model: the commit itself is
 * events (source `import`, one correlation id), and a rebuild leaves this table alone. The file is
 * dropped once an import is committed; sessions are kept for a week.
 */
export class Imports1764100000005 implements MigrationInterface {
  name = 'Imports1764100000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE imports (
      id TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('planned', 'committed')),
      file_name TEXT NOT NULL,
      file_bytes INTEGER NOT NULL,
      encoding TEXT NOT NULL,
      delimiter TEXT NOT NULL,
      table_id TEXT NOT NULL,
      new_table_name TEXT,
      new_view_id TEXT,
      header_json TEXT NOT NULL,
      file_blob BLOB,
      row_count INTEGER NOT NULL,
      columns_json TEXT NOT NULL,
      mapping_json TEXT NOT NULL,
      merge_fields_json TEXT NOT NULL,
      options_json TEXT NOT NULL,
      plan_json TEXT,
      plan_fingerprint TEXT,
      base_version INTEGER,
      result_json TEXT,
      correlation_id TEXT,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    await q.query(`CREATE INDEX imports_created_at ON imports (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE imports`);
  }
}
