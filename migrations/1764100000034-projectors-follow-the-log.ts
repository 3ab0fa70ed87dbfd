import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A projector applied inline with every append is at the log's head by construction (its writes
 * commit with the events or not at all), so its checkpoint need not be written on every commit: a
 * page more in every commit's WAL write and fsync. `follows_log = 1` says so; `position` is then the
 * head it was at when it began to follow, and only a catch-up or a rebuild writes the row.
 */
export const FOLLOWS_LOG_SCHEMA = [
  `ALTER TABLE projection_checkpoints ADD COLUMN follows_log INTEGER NOT NULL DEFAULT 0`,
];

export class ProjectorsFollowTheLog1764100000034 implements MigrationInterface {
  name = 'ProjectorsFollowTheLog1764100000034';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of FOLLOWS_LOG_SCHEMA) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    // The head each following projector was at becomes its checkpoint again.
    await q.query(
      `UPDATE projection_checkpoints SET position = (SELECT coalesce(max(position), 0) FROM events) WHERE follows_log = 1`,
    );
    await q.query(`ALTER TABLE projection_checkpoints DROP COLUMN follows_log`);
  }
}
