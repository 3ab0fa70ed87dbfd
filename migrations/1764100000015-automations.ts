import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Automation rules, their run log and list memberships, all projected from the log: the rules as
 * they are now with their run counts (`automation_rules`), every run with its effects
 * (`automation_runs`, never pruned), and which lists each record is in (`fundraising_memberships`).
 */
export class Automations1764100000015 implements MigrationInterface {
  name = 'Automations1764100000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE automation_rules (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      stream_version INTEGER NOT NULL,
      enabled INTEGER NOT NULL,
      archived INTEGER NOT NULL DEFAULT 0,
      trigger TEXT NOT NULL,
      conditions TEXT,
      actions TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      last_run_at TEXT,
      runs INTEGER NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0,
      failures_in_a_row INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      disabled_reason TEXT
    )`);
    await q.query(`CREATE TABLE automation_runs (
      id TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      rule_id TEXT NOT NULL,
      rule_version INTEGER NOT NULL,
      status TEXT NOT NULL,
      started_at TEXT NOT NULL,
      trigger_position INTEGER NOT NULL,
      trigger_event_id TEXT NOT NULL,
      record_id TEXT,
      chain TEXT NOT NULL,
      effects TEXT NOT NULL DEFAULT '[]',
      conflicts TEXT NOT NULL DEFAULT '[]',
      error TEXT,
      UNIQUE (rule_id, trigger_event_id)
    )`);
    await q.query(`CREATE INDEX automation_runs_by_rule ON automation_runs (rule_id, position)`);
    await q.query(`CREATE INDEX automation_runs_by_status ON automation_runs (status, position)`);
    await q.query(`CREATE TABLE fundraising_memberships (
      record_id TEXT NOT NULL,
      list TEXT NOT NULL,
      table_id TEXT NOT NULL,
      since TEXT NOT NULL,
      source TEXT NOT NULL,
      rule_id TEXT,
      run_id TEXT,
      PRIMARY KEY (record_id, list)
    )`);
    await q.query(`CREATE INDEX fundraising_memberships_by_list ON fundraising_memberships (list)`);
    // Lists the fund added beside the built-in ones.
    await q.query(`CREATE TABLE membership_lists (
      list TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`);
    // The version of each record's membership stream, for the next move's expected version.
    await q.query(`CREATE TABLE membership_streams (
      record_id TEXT PRIMARY KEY,
      version INTEGER NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE membership_streams`);
    await q.query(`DROP TABLE membership_lists`);
    await q.query(`DROP TABLE fundraising_memberships`);
    await q.query(`DROP TABLE automation_runs`);
    await q.query(`DROP TABLE automation_rules`);
  }
}
