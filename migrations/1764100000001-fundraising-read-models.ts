import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Read models of the fundraising base: the grid, the typed relational tables and views. */
export class FundraisingReadModels1764100000001 implements MigrationInterface {
  name = 'FundraisingReadModels1764100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE fundraising_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL,
      updated_at TEXT,
      updated_by TEXT
    )`);
    await q.query(`CREATE TABLE fundraising_tables (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT,
      primary_field_id TEXT NOT NULL,
      fields TEXT NOT NULL,
      sort_order INTEGER NOT NULL,
      version INTEGER NOT NULL
    )`);
    await q.query(`CREATE TABLE fundraising_records (
      id TEXT PRIMARY KEY,
      table_id TEXT NOT NULL REFERENCES fundraising_tables (id),
      seq INTEGER NOT NULL,
      values_json TEXT NOT NULL,
      cells_json TEXT NOT NULL,
      archived INTEGER NOT NULL DEFAULT 0,
      version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL
    )`);
    await q.query(
      `CREATE INDEX fundraising_records_page ON fundraising_records (table_id, archived, seq)`,
    );
    await q.query(`CREATE TABLE fundraising_views (
      id TEXT PRIMARY KEY,
      table_id TEXT NOT NULL,
      name TEXT NOT NULL,
      config TEXT NOT NULL,
      version INTEGER NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL
    )`);
    await q.query(`CREATE TABLE fundraising_investors (
      id TEXT PRIMARY KEY,
      name TEXT, type TEXT, status TEXT, stage TEXT, owner TEXT,
      target_commitment REAL, committed_amount REAL,
      last_contacted TEXT, next_step TEXT, website TEXT, tags TEXT, notes TEXT,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT
    )`);
    await q.query(`CREATE TABLE fundraising_funds (
      id TEXT PRIMARY KEY,
      name TEXT, vintage INTEGER, target_size REAL, currency TEXT, status TEXT,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT
    )`);
    await q.query(`CREATE TABLE fundraising_contacts (
      id TEXT PRIMARY KEY,
      name TEXT, email TEXT, phone TEXT, title TEXT,
      investor_id TEXT REFERENCES fundraising_investors (id),
      notes TEXT,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT
    )`);
    await q.query(
      `CREATE INDEX fundraising_contacts_investor ON fundraising_contacts (investor_id)`,
    );
    await q.query(`CREATE TABLE fundraising_commitments (
      id TEXT PRIMARY KEY,
      name TEXT,
      investor_id TEXT REFERENCES fundraising_investors (id),
      fund_id TEXT REFERENCES fundraising_funds (id),
      amount REAL, date TEXT, status TEXT,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT
    )`);
    await q.query(
      `CREATE INDEX fundraising_commitments_investor ON fundraising_commitments (investor_id)`,
    );
    await q.query(`CREATE INDEX fundraising_commitments_fund ON fundraising_commitments (fund_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'fundraising_commitments',
      'fundraising_contacts',
      'fundraising_funds',
      'fundraising_investors',
      'fundraising_views',
      'fundraising_records',
      'fundraising_tables',
      'fundraising_state',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
