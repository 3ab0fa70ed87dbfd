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

/**
 * A formula reading a link field (or a lookup, which may look up a link) now reads the linked
 * records' names, not their ids. Formula values are derived (never in events): on a base with such a
 * formula, the grid read model is emptied and its checkpoint dropped, so that the start-up catch-up
 * replays the log into it with the new reading, which is what a rebuild computes. The live read
 * model stays equal to a replay of the log, and a backup taken afterwards verifies. Nothing in the
 * log changes; a base without such a formula is not touched.
 */
export class LinkNames1764100000017 implements MigrationInterface {
  name = 'LinkNames1764100000017';

  async up(q: QueryRunner): Promise<void> {
    const tables = (await q.query('SELECT fields FROM fundraising_tables')) as { fields: string }[];
    const affected = tables.some(({ fields }) => {
      const list = JSON.parse(fields) as {
        id: string;
        type: string;
        options?: { formula?: unknown };
      }[];
      const named = list.filter((f) => f.type === 'link' || f.type === 'lookup').map((f) => f.id);
      // Formulas are stored with their references as `{field id}`.
      return list.some(
        (f) =>
          f.type === 'formula' &&
          typeof f.options?.formula === 'string' &&
          named.some((id) => (f.options!.formula as string).includes(`{${id}}`)),
      );
    });
    if (!affected) return;
    for (const t of GRID_TABLES) await q.query(`DELETE FROM ${t}`);
    await q.query(`DELETE FROM projection_checkpoints WHERE name = 'grid'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Going back, the older code reads ids again; a rebuild puts them back.
    await q.query('SELECT 1');
  }
}
