import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The grid read model's own tables (see GridProjector.tables). */
const GRID_TABLES = [
  'fundraising_links',
  'formula_backlog_held',
  'formula_backlog',
  'fundraising_records',
  'fundraising_tables',
  'fundraising_state',
];

interface StoredField {
  id: string;
  type: string;
  options?: { target_field_id?: unknown };
}

/**
 * A lookup or rollup of a link field now holds the names of the records that link shows, not their
 * ids (as a formula reading a link does). Its values are derived (never in events): on a base with
 * one, the grid read model is emptied and its checkpoint dropped, so that the start-up catch-up
 * replays the log into it with the new reading, which is what a rebuild computes. Nothing in the
 * log changes; a base without one is not touched.
 */
export class LookupsOfLinks1764100000023 implements MigrationInterface {
  name = 'LookupsOfLinks1764100000023';

  async up(q: QueryRunner): Promise<void> {
    const tables = (await q.query('SELECT fields FROM fundraising_tables')) as { fields: string }[];
    const fields = tables.flatMap(({ fields }) => JSON.parse(fields) as StoredField[]);
    const links = new Set(fields.filter((f) => f.type === 'link').map((f) => f.id));
    const affected = fields.some(
      (f) =>
        (f.type === 'lookup' || f.type === 'rollup') &&
        links.has(String(f.options?.target_field_id)),
    );
    if (!affected) return;
    for (const t of GRID_TABLES) await q.query(`DELETE FROM ${t}`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'grid'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Going back, the older code reads ids again; a rebuild puts them back.
    await q.query('SELECT 1');
  }
}
