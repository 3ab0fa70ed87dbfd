import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A large import is written in slices, each in a transaction of its own. The slices still to write
 * wait in `import_slices`, and `imports.writing_json` holds the progress (slices done, the counts so
 * far), updated in each slice's transaction: after a crash the server finishes the import at its
 * next start, exactly once.
 */
export class ImportCommitSlices1764100000010 implements MigrationInterface {
  name = 'ImportCommitSlices1764100000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE imports ADD COLUMN writing_json TEXT');
    await q.query(`CREATE TABLE import_slices (
      import_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      command_json TEXT NOT NULL,
      PRIMARY KEY (import_id, seq)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE import_slices');
    await q.query('ALTER TABLE imports DROP COLUMN writing_json');
  }
}
