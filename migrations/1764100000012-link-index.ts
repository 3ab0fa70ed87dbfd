import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Which records link to which (`fundraising_links`), kept by the grid projector from link cells: an
 * edit of a record finds the lookups, rollups and counts that read it by this index (the records
 * linking to it), not by scanning their tables.
 */
export class LinkIndex1764100000012 implements MigrationInterface {
  name = 'LinkIndex1764100000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE fundraising_links (
      source_id TEXT NOT NULL,
      field_id TEXT NOT NULL,
      target_id TEXT NOT NULL,
      PRIMARY KEY (source_id, field_id, target_id)
    ) WITHOUT ROWID`);
    await q.query(`CREATE INDEX fundraising_links_target ON fundraising_links (target_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fundraising_links`);
  }
}
