import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The records of a table in creation order, archived or not: a formula recompute reads a table a
 * slice at a time this way, and a whole-table read (a retype) in full. The page index puts
 * `archived` before `seq`, so those reads sorted the rest of the table for every slice.
 */
export class RecordsSeqIndex1764100000016 implements MigrationInterface {
  name = 'RecordsSeqIndex1764100000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX fundraising_records_seq ON fundraising_records (table_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX fundraising_records_seq`);
  }
}
