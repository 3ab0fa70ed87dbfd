import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/** Every read-model table, in the order a dump lists them. */
export const READ_MODEL_TABLES = [
  'fundraising_state', 'fundraising_tables', 'fundraising_records', 'fundraising_views',
  'fundraising_investors', 'fundraising_funds', 'fundraising_contacts', 'fundraising_commitments',
];

/** A byte-exact text dump of the read models (rows by primary key), for rebuild-equality checks. */
export function dumpReadModels(db: Database, tables = READ_MODEL_TABLES): string {
  return tables
    .map((t) => {
      const rows = db.prepare(`SELECT * FROM ${t} ORDER BY 1`).raw().all();
      return `${t}\n${rows.map((r) => JSON.stringify(r)).join('\n')}`;
    })
    .join('\n');
}

export const hashReadModels = (db: Database, tables = READ_MODEL_TABLES): string => createHash('sha256').update(dumpReadModels(db, tables)).digest('hex');
