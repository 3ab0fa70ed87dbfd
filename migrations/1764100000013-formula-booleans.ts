import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A formula that gives true or false is now stored as 1 or 0, as Airtable shows it. Formula values
 * are derived (never in events), so this rewrites the grid read model's stored true/false to the
 * 1/0 a rebuild would compute: the live read model stays equal to a replay of the log, and a backup
 * taken afterwards verifies. Nothing in the log changes.
 */
export class FormulaBooleans1764100000013 implements MigrationInterface {
  name = 'FormulaBooleans1764100000013';

  async up(q: QueryRunner): Promise<void> {
    const tables = (await q.query('SELECT id, fields FROM fundraising_tables')) as {
      id: string;
      fields: string;
    }[];
    for (const table of tables) {
      const fields = JSON.parse(table.fields) as {
        id: string;
        type: string;
        options?: { result_type?: string };
      }[];
      for (const f of fields) {
        if (f.type !== 'formula' || f.options?.result_type !== 'boolean') continue;
        const path = `$."${f.id}"`;
        await q.query(
          `UPDATE fundraising_records
              SET formula_json = json_set(formula_json, ?,
                    CASE json_type(formula_json, ?) WHEN 'true' THEN 1 ELSE 0 END)
            WHERE table_id = ? AND json_type(formula_json, ?) IN ('true', 'false')`,
          [path, path, table.id, path],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Going back, the older code reads 1/0 as a number and a rebuild puts true/false back.
    await q.query('SELECT 1');
  }
}
