import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Where each processor (a consumer that reacts to committed events) has read the log up to, and
 * whether it runs. Bookkeeping, not a read model: the read-model hash leaves it out.
 */
export class ProcessorCheckpoints1764100000008 implements MigrationInterface {
  name = 'ProcessorCheckpoints1764100000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE processor_checkpoints (
      name TEXT PRIMARY KEY,
      position INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'paused', 'failed')),
      failures INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      last_error_at TEXT,
      updated_at TEXT NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE processor_checkpoints`);
  }
}
