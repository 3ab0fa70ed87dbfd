import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The live commitments with what the dashboard adds up (fund, status, day, amount, investor), so
 * that its totals by fund, status and day, and its LPs per fund, read this index alone instead of
 * every commitment's row (300,000 commitments: half the time). Commitments are edited far less than
 * investors, so its upkeep stays off the grid's usual edits.
 */
export class CommitmentsDashboardIndex1764100000022 implements MigrationInterface {
  name = 'CommitmentsDashboardIndex1764100000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX fundraising_commitments_dashboard
       ON fundraising_commitments (fund_id, status, date, amount, investor_id) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX fundraising_commitments_dashboard`);
  }
}
