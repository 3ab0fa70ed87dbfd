import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../database/database';

/**
 * Notes the appends stamped earlier than the latest time already on record (the clock was set
 * back): the log's position at a moment relies on `recorded_at` growing with the position everywhere
 * else (see LogRepository.positionAt). Runs in the append's transaction, after its rows: they all
 * carry its time, so they cannot make the latest later than it.
 */
export class ClockSteps {
  private readonly latest: Statement;
  private readonly insert: Statement;

  constructor(db: Sqlite) {
    // The newest time on record, from the end of the recorded_at index.
    this.latest = db.prepare(`SELECT MAX(recorded_at) FROM events`).pluck();
    this.insert = db.prepare(
      `INSERT INTO event_clock_steps (from_position, to_position, recorded_at) VALUES (?, ?, ?)`,
    );
  }

  /** Positions `from`..`to` were just appended at `recordedAt`. */
  note(from: number, to: number, recordedAt: string): void {
    if (to < from) return;
    const latest = this.latest.get() as string | null;
    if (latest !== null && recordedAt < latest) this.insert.run(from, to, recordedAt);
  }
}
