import { decideAddField } from '@crm/domain';
import { FormulaBooleans1764100000013 } from '../../migrations/1764100000013-formula-booleans';
import type { QueryRunner } from 'typeorm';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * A true/false formula's stored values were true/false before they became 1/0. The migration turns
 * the old stored values into what a rebuild now computes, so the read model equals a replay again.
 */
describe('migration 13: true/false formula values become 1/0', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-formula-booleans-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  it('given values stored as true/false, when migrated, then they equal a rebuild', async () => {
    const meta = { actor: SYSTEM_ACTOR, source: 'system' as const };
    const inv = core.repo.tableByRole('investors')!;
    const f = (role: string) => inv.fields.find((x) => x.role === role)!.id;
    const big = newId('fld');
    await core.commands.decide(meta, (ctx) =>
      decideAddField(
        {
          table_id: inv.id,
          field: {
            id: big,
            name: 'Big',
            type: 'formula',
            options: { formula: '{Target commitment} > 1000000' },
          },
        },
        ctx,
      ),
    );
    await core.commands.applyChanges(
      [2_000_000, 500_000, 3_000_000].map((amount, i) => ({
        op: 'create' as const,
        table_id: inv.id,
        record_id: newId('rec'),
        values: { [f('investor.name')]: `LP ${i}`, [f('investor.target_commitment')]: amount },
      })),
      meta,
    );
    const live = dumpReadModels(core.db);
    const stored = () =>
      (
        core.db
          .prepare(
            `SELECT json_extract(formula_json, ?) AS v FROM fundraising_records ORDER BY seq`,
          )
          .all(`$."${big}"`) as { v: unknown }[]
      ).map((r) => r.v);
    expect(stored()).toEqual([1, 0, 1]);

    // As an older version stored them.
    core.db
      .prepare(
        `UPDATE fundraising_records SET formula_json = json_set(formula_json, ?, json(CASE json_extract(formula_json, ?) WHEN 1 THEN 'true' ELSE 'false' END))`,
      )
      .run(`$."${big}"`, `$."${big}"`);
    expect(dumpReadModels(core.db)).not.toBe(live);

    const runner = {
      query: (sql: string, params: unknown[] = []) => {
        const stmt = core.db.prepare(sql);
        return Promise.resolve(stmt.reader ? stmt.all(...params) : stmt.run(...params));
      },
    } as unknown as QueryRunner;
    await new FormulaBooleans1764100000013().up(runner);
    expect(stored()).toEqual([1, 0, 1]);
    expect(dumpReadModels(core.db)).toBe(live);
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });
});
