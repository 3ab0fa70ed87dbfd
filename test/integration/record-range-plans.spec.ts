import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * The reads of a table in creation order — a formula recompute's slices and a whole-table read —
 * go through an index in that order. Sorting the rest of the table for each slice made adding a
 * formula to 100,000 records quadratic and held every edit behind it.
 */
describe('record reads in creation order', () => {
  let core: TempCore;
  beforeAll(async () => {
    core = await openTempCore('crm-range-plans-');
  });
  afterAll(() => core?.dispose());

  const plan = (sql: string, ...params: unknown[]) =>
    (core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
      (r) => r.detail,
    );

  it.each([
    [
      'a slice between two positions',
      'SELECT * FROM fundraising_records WHERE table_id = ? AND seq > ? AND seq < ? ORDER BY seq LIMIT ?',
      ['tbl', 0, 10, 500],
    ],
    [
      'every record of a table',
      'SELECT * FROM fundraising_records WHERE table_id = ? ORDER BY seq',
      ['tbl'],
    ],
  ])('reads %s through an index, with no sort', (_, sql, params) => {
    const steps = plan(sql, ...params);
    expect(steps.join('; ')).toMatch(/USING INDEX fundraising_records_seq/);
    expect(steps.join('; ')).not.toMatch(/TEMP B-TREE/);
  });

  it('are the statements the repository runs', () => {
    const source = Object.values(
      (core.repo as unknown as { stmts: Record<string, { source: string }> }).stmts,
    ).map((s) => s.source);
    expect(source).toContain(
      'SELECT * FROM fundraising_records WHERE table_id = ? AND seq > ? AND seq < ? ORDER BY seq LIMIT ?',
    );
    expect(source).toContain('SELECT * FROM fundraising_records WHERE table_id = ? ORDER BY seq');
  });
});
