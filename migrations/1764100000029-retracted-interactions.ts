import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A logged interaction can be taken back (an undo of its quick log, a restore to a moment before
 * it): its row stays, marked `retracted_at`, and counts for nothing. `version` is its stream's, for
 * the compare-and-set of the next retraction or restoration. Finding the latest interaction left of
 * a contact reads `contact_id`, so it gets an index.
 */
export class RetractedInteractions1764100000029 implements MigrationInterface {
  name = 'RetractedInteractions1764100000029';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE interactions ADD COLUMN retracted_at TEXT`);
    await q.query(`ALTER TABLE interactions ADD COLUMN version INTEGER NOT NULL DEFAULT 1`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS interactions_by_contact ON interactions (contact_id, occurred_at)
       WHERE contact_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX interactions_by_contact`);
    await q.query(`ALTER TABLE interactions DROP COLUMN version`);
    await q.query(`ALTER TABLE interactions DROP COLUMN retracted_at`);
  }
}
