import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An uploaded file is kept gzipped until its import is committed: a CSV shrinks about sevenfold, so
 * storing it (and freeing it at the commit) writes a seventh of the pages. Rows stored before keep
 * their file as it was uploaded (file_gzip 0).
 */
export class ImportFileGzip1764100000007 implements MigrationInterface {
  name = 'ImportFileGzip1764100000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE imports ADD COLUMN file_gzip INTEGER NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE imports DROP COLUMN file_gzip');
  }
}
