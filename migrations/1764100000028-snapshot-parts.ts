import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A snapshot of a large base is several megabytes. Stored as one value, its insert held the write
 * lock for tens of milliseconds, and every edit waited behind it; it is now stored in parts, each
 * written in a short transaction of its own, and its row in `snapshots` (with `parts`, and no data)
 * is inserted last, so that no reader ever sees half of one. Snapshots stored whole still read.
 */
export class SnapshotParts1764100000028 implements MigrationInterface {
  name = 'SnapshotParts1764100000028';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE snapshots ADD COLUMN parts INTEGER NOT NULL DEFAULT 0`);
    await q.query(
      `CREATE TABLE snapshot_parts (
        position INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (position, seq)
      )`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE snapshot_parts`);
    await q.query(`ALTER TABLE snapshots DROP COLUMN parts`);
  }
}
