import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes for two reads that grew with the log:
 * - a contact's interactions by time: the follow-up values of a contact count the interactions
 *   that name it, and without it every quick log read all of the fund's recent interactions;
 * - a rule's runs of one status, newest first (its run log filtered to failures, or the latest
 *   that succeeded): they were found by reading every run of that status of every rule.
 */
export class ReadIndexes1764100000033 implements MigrationInterface {
  name = 'ReadIndexes1764100000033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX interactions_by_contact ON interactions (contact_id, occurred_at)
       WHERE contact_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX automation_runs_by_rule_status ON automation_runs (rule_id, status, position)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX automation_runs_by_rule_status`);
    await q.query(`DROP INDEX interactions_by_contact`);
  }
}
