import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The activity feed's summary of each batch (a command of more than one event: an import, a
 * restore, a paste), by event type: its span in the log, how many events and records, the cells
 * its updates changed and the file an import read. The feed reads these few rows instead of every
 * event of a large batch. Single events (a cell edit) have no row: the feed reads them as they are.
 * The projector fills it from the log when it first starts.
 *
 * And each person's start page (where they land after signing in; the grid until they choose), and
 * the team's feature requests with their votes (one a person).
 */
export class ActivityStartPageFeatureRequests1764100000026 implements MigrationInterface {
  name = 'ActivityStartPageFeatureRequests1764100000026';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE activity_batch_types (
      correlation_id TEXT NOT NULL,
      type TEXT NOT NULL,
      first_position INTEGER NOT NULL,
      last_position INTEGER NOT NULL,
      events INTEGER NOT NULL,
      records INTEGER NOT NULL,
      cells INTEGER NOT NULL,
      file_name TEXT,
      PRIMARY KEY (correlation_id, type)
    ) WITHOUT ROWID`);
    await q.query(
      `ALTER TABLE users ADD COLUMN start_page TEXT NOT NULL DEFAULT 'grid' CHECK (start_page IN ('grid', 'dashboard'))`,
    );
    await q.query(`CREATE TABLE feature_requests (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      status TEXT NOT NULL,
      votes INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      version INTEGER NOT NULL
    )`);
    await q.query(
      `CREATE INDEX feature_requests_board ON feature_requests (status, votes DESC, created_at)`,
    );
    await q.query(`CREATE TABLE feature_request_votes (
      request_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      PRIMARY KEY (request_id, user_id)
    ) WITHOUT ROWID`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE feature_request_votes`);
    await q.query(`DROP TABLE feature_requests`);
    await q.query(`ALTER TABLE users DROP COLUMN start_page`);
    await q.query(`DROP TABLE activity_batch_types`);
  }
}
