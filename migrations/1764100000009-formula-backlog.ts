import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Formula recomputes of a large table that a schema change asked for and that run in slices after
 * the change commits (part of the grid's read model, derived from the log like the records).
 * `formula_backlog`: at most one plan per table; records with `after_seq < seq < position` still
 * wait for it, and `fuel` is the table's work budget left. `formula_backlog_held`: a record edited
 * before the plan reached it, kept as it was before the edit with the events since, so the plan
 * and the edits apply in the order of the log, as a replay applies them.
 */
export class FormulaBacklog1764100000009 implements MigrationInterface {
  name = 'FormulaBacklog1764100000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE formula_backlog (
      table_id TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      nodes_json TEXT NOT NULL,
      drop_json TEXT NOT NULL,
      after_seq INTEGER NOT NULL,
      fuel REAL NOT NULL
    )`);
    await q.query(`CREATE TABLE formula_backlog_held (
      table_id TEXT NOT NULL,
      record_id TEXT NOT NULL,
      state_json TEXT NOT NULL,
      events_json TEXT NOT NULL,
      PRIMARY KEY (table_id, record_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE formula_backlog_held`);
    await q.query(`DROP TABLE formula_backlog`);
  }
}
