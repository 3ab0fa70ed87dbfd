import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The statements, exported so that store tests can lay out a bare database the same way. */
export const EVENT_STORE_SCHEMA: readonly string[] = [
  `CREATE TABLE events (
      position INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL UNIQUE,
      stream_id TEXT NOT NULL,
      stream_version INTEGER NOT NULL CHECK (stream_version > 0),
      type TEXT NOT NULL,
      schema_version INTEGER NOT NULL DEFAULT 1,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      idempotency_key TEXT UNIQUE,
      hash TEXT NOT NULL,
      UNIQUE (stream_id, stream_version)
    )`,
  `CREATE INDEX events_type ON events (type, position)`,
  `CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
  `CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
  `CREATE TABLE idempotency_keys (
      key TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      response TEXT NOT NULL,
      position INTEGER NOT NULL,
      created_at TEXT NOT NULL
    )`,
  `CREATE TABLE projection_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL)`,
];

/** The append-only log, its guards, and the idempotency ledger. */
export class EventStore1764100000000 implements MigrationInterface {
  name = 'EventStore1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projection_checkpoints`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE events`);
  }
}
