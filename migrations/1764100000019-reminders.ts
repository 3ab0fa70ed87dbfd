import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Reminders and logged interactions, projected from their streams: each reminder as it is now
 * (`reminders`, a soft-deleted one kept with `deleted_at`), every interaction (`interactions`), and
 * per investor or contact the last contact and who made it (`follow_up_records`). What depends on
 * the day (overdue, a snooze's end, staleness) is worked out at read from these dates and the clock;
 * the partial indexes hold only what is still open, which is what "My day" and the lists read.
 */
export class Reminders1764100000019 implements MigrationInterface {
  name = 'Reminders1764100000019';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reminders (
      id TEXT PRIMARY KEY,
      record_id TEXT NOT NULL,
      table_id TEXT NOT NULL,
      title TEXT NOT NULL,
      due_date TEXT NOT NULL,
      status TEXT NOT NULL,
      snoozed_until TEXT,
      due_on TEXT NOT NULL,
      assignee_id TEXT NOT NULL,
      note TEXT NOT NULL,
      source TEXT NOT NULL,
      interaction_id TEXT,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL,
      deleted_at TEXT
    )`);
    await q.query(`CREATE INDEX reminders_open_by_assignee ON reminders (assignee_id, due_on, id)
      WHERE deleted_at IS NULL AND status IN ('open', 'snoozed')`);
    await q.query(`CREATE INDEX reminders_open_by_record ON reminders (record_id, due_on)
      WHERE deleted_at IS NULL AND status IN ('open', 'snoozed')`);
    await q.query(`CREATE INDEX reminders_by_assignee ON reminders (assignee_id, due_on, id)`);
    await q.query(`CREATE INDEX reminders_by_record ON reminders (record_id, due_on, id)`);
    await q.query(`CREATE TABLE interactions (
      id TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      record_id TEXT NOT NULL,
      table_id TEXT NOT NULL,
      contact_id TEXT,
      kind TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      summary TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      logged_at TEXT NOT NULL
    )`);
    await q.query(`CREATE INDEX interactions_by_record ON interactions (record_id, occurred_at)`);
    await q.query(`CREATE INDEX interactions_by_time ON interactions (occurred_at)`);
    await q.query(`CREATE TABLE follow_up_records (
      record_id TEXT PRIMARY KEY,
      table_id TEXT NOT NULL,
      last_contacted_at TEXT NOT NULL,
      last_contacted_by TEXT NOT NULL,
      last_interaction_id TEXT NOT NULL
    )`);
    await q.query(
      `CREATE INDEX follow_up_by_last_contact ON follow_up_records (table_id, last_contacted_at)`,
    );
    await q.query(`CREATE TABLE follow_up_settings (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      aging_days INTEGER NOT NULL,
      stale_days INTEGER NOT NULL,
      time_zone TEXT NOT NULL,
      version INTEGER NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['follow_up_settings', 'follow_up_records', 'interactions', 'reminders'])
      await q.query(`DROP TABLE ${t}`);
  }
}
