import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Large values stored in parts (see BlobParts): a snapshot of a large base and an uploaded import
 * file are several megabytes, and one insert of them held the write lock for tens of milliseconds,
 * every edit waiting behind it. Their rows now say how many parts they have (0: the value is still
 * in the row, as before).
 */
export class BlobParts1764100000028 implements MigrationInterface {
  name = 'BlobParts1764100000028';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE blob_parts (
        owner TEXT NOT NULL,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        written_at TEXT NOT NULL,
        PRIMARY KEY (owner, seq)
      )`,
    );
    await q.query(`ALTER TABLE snapshots ADD COLUMN parts INTEGER NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE imports ADD COLUMN file_parts INTEGER NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports DROP COLUMN file_parts`);
    await q.query(`ALTER TABLE snapshots DROP COLUMN parts`);
    await q.query(`DROP TABLE blob_parts`);
  }
}
