import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Formula values in the grid read model. They are derived, never stored in events: the grid
 * projector computes them after each record event (and when a formula field is added or changed),
 * and a rebuild recomputes them from the log.
 */
export class ViewsFormulas1764100000006 implements MigrationInterface {
  name = 'ViewsFormulas1764100000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE fundraising_records ADD COLUMN formula_json TEXT NOT NULL DEFAULT '{}'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE fundraising_records DROP COLUMN formula_json');
  }
}
