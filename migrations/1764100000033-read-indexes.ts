import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A rule's runs of one status, newest first (its run log filtered to failures, or the latest that
 * succeeded): they were found by reading every run of that status of every rule. (A contact's
 * interactions by time, which a quick log reads, are indexed by RetractedInteractions.)
 */
export class ReadIndexes1764100000033 implements MigrationInterface {
  name = 'ReadIndexes1764100000033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX automation_runs_by_rule_status ON automation_runs (rule_id, status, position)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX automation_runs_by_rule_status`);
  }
}
