import { decideAddField } from '@crm/domain';
import type { QueryRunner } from 'typeorm';
import { LinkNames1764100000017 } from '../../migrations/1764100000017-link-names';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * A formula reading a link stored the linked ids before it read their names. The migration has the
 * grid read model replayed at start, so it equals a rebuild again; a base without one is untouched.
 */
describe('migration 17: formulas reading links read names', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-link-names-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  const runner = () =>
    ({
      query: (sql: string, params: unknown[] = []) => {
        const stmt = core.db.prepare(sql);
        return Promise.resolve(stmt.reader ? stmt.all(...params) : stmt.run(...params));
      },
    }) as unknown as QueryRunner;
  const meta = { actor: SYSTEM_ACTOR, source: 'system' as const };

  async function givenContactShowingItsInvestor(): Promise<string> {
    const inv = core.repo.tableByRole('investors')!;
    const con = core.repo.tableByRole('contacts')!;
    const f = (t: typeof inv, role: string) => t.fields.find((x) => x.role === role)!.id;
    const yale = newId('rec');
    await core.commands.applyChanges(
      [
        {
          op: 'create',
          table_id: inv.id,
          record_id: yale,
          values: { [f(inv, 'investor.name')]: 'Yale' },
        },
        {
          op: 'create',
          table_id: con.id,
          values: { [f(con, 'contact.name')]: 'Ann', [f(con, 'contact.investor')]: [yale] },
        },
      ],
      meta,
    );
    const label = newId('fld');
    await core.commands.decide(meta, (ctx) =>
      decideAddField(
        {
          table_id: con.id,
          field: { id: label, name: 'Label', type: 'formula', options: { formula: '{Investor}' } },
        },
        ctx,
      ),
    );
    return label;
  }

  it('given a formula that stored ids, when migrated and caught up, then it equals a rebuild', async () => {
    const label = await givenContactShowingItsInvestor();
    const live = dumpReadModels(core.db);
    expect(live).toContain('Yale');
    // As an older version stored it: the linked id, not the name.
    core.db
      .prepare(
        `UPDATE fundraising_records SET formula_json = json_set(formula_json, ?, 'rec_old')
                 WHERE json_extract(formula_json, ?) IS NOT NULL`,
      )
      .run(`$."${label}"`, `$."${label}"`);
    expect(dumpReadModels(core.db)).not.toBe(live);

    await new LinkNames1764100000017().up(runner());
    core.repo.invalidateSchema();
    await core.runner.catchUp();
    expect(dumpReadModels(core.db)).toBe(live);
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it('given no formula reading a link, then the read model is left as it is', async () => {
    await core.commands.applyChanges(
      [
        {
          op: 'create',
          table_id: core.repo.tableByRole('investors')!.id,
          values: {},
        },
      ],
      meta,
    );
    const before = core.runner.checkpoint('grid');
    await new LinkNames1764100000017().up(runner());
    expect(core.runner.checkpoint('grid')).toBe(before);
  });
});
