import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The backup catalogue and the backup policy: read models of the `backup-<id>` and `backup-policy`
 * streams. They describe files outside the database, so the read-model hash leaves them out (see
 * apps/api/src/capabilities/backups/read-model-hash.ts).
 */
export class Backups1764100000004 implements MigrationInterface {
  name = 'Backups1764100000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE backups (
      id TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
      created_by TEXT NOT NULL,
      file_name TEXT NOT NULL UNIQUE,
      manifest TEXT NOT NULL,
      verification TEXT NOT NULL CHECK (verification IN ('unverified', 'ok', 'failed')),
      verified_at TEXT,
      last_check TEXT,
      deleted_at TEXT,
      version INTEGER NOT NULL
    )`);
    await q.query(`CREATE INDEX backups_created ON backups (created_at)`);
    await q.query(`CREATE TABLE backup_policy (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      policy TEXT NOT NULL,
      changed_at TEXT NOT NULL,
      changed_by TEXT NOT NULL,
      version INTEGER NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE backup_policy`);
    await q.query(`DROP TABLE backups`);
  }
}
