import { type MigrationInterface, type QueryRunner } from 'typeorm';

const backupsTable = (triggers: string) => `CREATE TABLE backups_next (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN (${triggers})),
  created_by TEXT NOT NULL,
  file_name TEXT NOT NULL UNIQUE,
  manifest TEXT NOT NULL,
  verification TEXT NOT NULL CHECK (verification IN ('unverified', 'ok', 'failed')),
  verified_at TEXT,
  last_check TEXT,
  deleted_at TEXT,
  version INTEGER NOT NULL
)`;

/** SQLite cannot change a CHECK in place: the catalogue is copied into a table with the new one. */
async function rebuild(q: QueryRunner, triggers: string): Promise<void> {
  await q.query(backupsTable(triggers));
  await q.query(`INSERT INTO backups_next SELECT id, created_at, trigger, created_by, file_name,
    manifest, verification, verified_at, last_check, deleted_at, version FROM backups`);
  await q.query(`DROP TABLE backups`);
  await q.query(`ALTER TABLE backups_next RENAME TO backups`);
  await q.query(`CREATE INDEX backups_created ON backups (created_at)`);
}

/**
 * The backup catalogue also lists the backups the server takes before migrating an upgraded
 * database (trigger `pre_upgrade`).
 */
export class PreUpgradeBackups1764100000020 implements MigrationInterface {
  name = 'PreUpgradeBackups1764100000020';

  async up(q: QueryRunner): Promise<void> {
    await rebuild(q, `'manual', 'scheduled', 'pre_upgrade'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM backups WHERE trigger = 'pre_upgrade'`);
    await rebuild(q, `'manual', 'scheduled'`);
  }
}
