import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History, undo and time travel read the log itself: these indexes make "one person's changes",
 * "one batch", "what undid this" and "the position at a moment" index lookups, and snapshots of
 * the whole base make a replay to any moment start close to it. Snapshots are a cache derived
 * from the log; dropping them loses nothing.
 */
export class History1764100000003 implements MigrationInterface {
  name = 'History1764100000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_actor ON events (json_extract(metadata, '$.actor_id'), position)`);
    await q.query(`CREATE INDEX events_correlation ON events (json_extract(metadata, '$.correlation_id'), position)`);
    await q.query(`CREATE INDEX events_causation ON events (json_extract(metadata, '$.causation_id'))`);
    await q.query(`CREATE INDEX events_recorded_at ON events (recorded_at, position)`);
    await q.query(`CREATE TABLE snapshots (
      position INTEGER PRIMARY KEY,
      created_at TEXT NOT NULL,
      format INTEGER NOT NULL,
      records INTEGER NOT NULL,
      size INTEGER NOT NULL,
      data BLOB NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE snapshots`);
    for (const i of ['events_recorded_at', 'events_causation', 'events_correlation', 'events_actor']) await q.query(`DROP INDEX ${i}`);
  }
}
