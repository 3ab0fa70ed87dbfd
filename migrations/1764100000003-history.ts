import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * History, undo and time travel read the log itself. Who wrote an event, its batch and what it
 * undoes are copied out of the metadata into plain columns (the store writes them with each event),
 * so that "one person's changes", "one batch", "what undid this" and "the position at a moment" are
 * index lookups. Indexing json_extract() expressions instead cost ~25 µs per appended event.
 * Snapshots of the whole base let a replay to any moment start close to it; they are a cache
 * derived from the log, and dropping them loses nothing.
 */
export const HISTORY_SCHEMA: readonly string[] = [
  `ALTER TABLE events ADD COLUMN actor_id TEXT`,
  `ALTER TABLE events ADD COLUMN correlation_id TEXT`,
  `ALTER TABLE events ADD COLUMN causation_id TEXT`,
  // The one time the append-only guard is lifted: filling the new columns from each row's own metadata.
  `DROP TRIGGER events_append_only_update`,
  `UPDATE events SET actor_id = json_extract(metadata, '$.actor_id'), correlation_id = json_extract(metadata, '$.correlation_id'), causation_id = json_extract(metadata, '$.causation_id')`,
  `CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
  `CREATE INDEX events_actor ON events (actor_id, position)`,
  `CREATE INDEX events_correlation ON events (correlation_id, position)`,
  `CREATE INDEX events_causation ON events (causation_id) WHERE causation_id IS NOT NULL`,
  `CREATE INDEX events_recorded_at ON events (recorded_at, position)`,
  `CREATE TABLE snapshots (
      position INTEGER PRIMARY KEY,
      created_at TEXT NOT NULL,
      format INTEGER NOT NULL,
      records INTEGER NOT NULL,
      size INTEGER NOT NULL,
      data BLOB NOT NULL
    )`,
];

export class History1764100000003 implements MigrationInterface {
  name = 'History1764100000003';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of HISTORY_SCHEMA) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE snapshots`);
    for (const i of [
      'events_recorded_at',
      'events_causation',
      'events_correlation',
      'events_actor',
    ])
      await q.query(`DROP INDEX ${i}`);
    for (const c of ['causation_id', 'correlation_id', 'actor_id'])
      await q.query(`ALTER TABLE events DROP COLUMN ${c}`);
  }
}
