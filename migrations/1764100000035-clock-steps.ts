import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The stretches of the log recorded while the clock was behind an earlier event's time (a system
 * clock corrected backwards). Outside them `recorded_at` only grows with the position, so "the last
 * position recorded at or before a moment" is one probe of the recorded_at index plus a look at
 * this table, which is nearly always empty; before, every restore or as-of view to a moment scanned
 * part of the log in case the clock had stepped back. The store writes a row with each append whose
 * time is earlier than the latest already recorded. Derived from the log: rebuilt from it below.
 */
export const CLOCK_STEPS_SCHEMA: readonly string[] = [
  `CREATE TABLE event_clock_steps (
      from_position INTEGER PRIMARY KEY,
      to_position INTEGER NOT NULL,
      recorded_at TEXT NOT NULL
    )`,
];

/** Every event recorded earlier than one before it, from the log as it stands: one row each. */
export const CLOCK_STEPS_FROM_LOG = `INSERT INTO event_clock_steps (from_position, to_position, recorded_at)
  SELECT position, position, recorded_at FROM (
    SELECT position, recorded_at,
      MAX(recorded_at) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_before
    FROM events
  ) WHERE recorded_at < latest_before`;

export class ClockSteps1764100000035 implements MigrationInterface {
  name = 'ClockSteps1764100000035';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of CLOCK_STEPS_SCHEMA) await q.query(sql);
    await q.query(CLOCK_STEPS_FROM_LOG);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_clock_steps`);
  }
}
