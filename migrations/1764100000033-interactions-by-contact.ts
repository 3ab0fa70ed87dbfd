import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A contact's interactions by time: the follow-up values of a contact count the interactions that
 * name it, and without this index every quick log read all of the fund's recent interactions to
 * find them (the quick log took longer the more the team had logged).
 */
export class InteractionsByContact1764100000033 implements MigrationInterface {
  name = 'InteractionsByContact1764100000033';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX interactions_by_contact ON interactions (contact_id, occurred_at)
       WHERE contact_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX interactions_by_contact`);
  }
}
