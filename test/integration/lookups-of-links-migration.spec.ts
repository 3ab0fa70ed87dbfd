import { decideAddField } from '@crm/domain';
import type { QueryRunner } from 'typeorm';
import { LookupsOfLinks1764100000023 } from '../../migrations/1764100000023-lookups-of-links';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * A lookup of a link field stored the ids of the records it showed before it held their names. The
 * migration has the grid read model replayed at start, so it equals a rebuild again; a base without
 * one is untouched.
 */
describe('migration 23: lookups and rollups of links hold names', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-lookups-of-links-');
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
  const table = (role: string) => core.repo.tableByRole(role)!;
  const f = (role: string, field: string) => table(role).fields.find((x) => x.role === field)!.id;

  it('given a lookup that stored ids, when migrated and caught up, then it equals a rebuild', async () => {
    const fund = newId('rec');
    const lp = newId('rec');
    await core.commands.applyChanges(
      [
        {
          op: 'create',
          table_id: table('funds').id,
          record_id: fund,
          values: { [f('funds', 'fund.name')]: 'Fund III' },
        },
        {
          op: 'create',
          table_id: table('investors').id,
          record_id: lp,
          values: { [f('investors', 'investor.name')]: 'Yale' },
        },
        {
          op: 'create',
          table_id: table('commitments').id,
          values: {
            [f('commitments', 'commitment.investor')]: [lp],
            [f('commitments', 'commitment.fund')]: [fund],
          },
        },
      ],
      meta,
    );
    const funds = newId('fld');
    await core.commands.decide(meta, (ctx) =>
      decideAddField(
        {
          table_id: table('investors').id,
          field: {
            id: funds,
            name: 'Funds',
            type: 'lookup',
            options: {
              link_field_id: f('investors', 'investor.commitments'),
              target_field_id: f('commitments', 'commitment.fund'),
            },
          },
        },
        ctx,
      ),
    );
    const live = dumpReadModels(core.db);
    expect(core.repo.record(lp)!.computed?.[funds]).toEqual(['Fund III']);
    // As an older version stored it: the ids of the funds, not their names.
    core.db
      .prepare(
        'UPDATE fundraising_records SET formula_json = json_set(formula_json, ?, json(?)) WHERE id = ?',
      )
      .run(`$."${funds}"`, JSON.stringify([fund]), lp);
    expect(dumpReadModels(core.db)).not.toBe(live);

    await new LookupsOfLinks1764100000023().up(runner());
    core.repo.invalidateSchema();
    await core.runner.catchUp();
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it('given no lookup or rollup of a link, then the read model is left as it is', async () => {
    await core.commands.applyChanges(
      [{ op: 'create', table_id: table('investors').id, values: {} }],
      meta,
    );
    const before = core.runner.checkpoint('grid');
    await new LookupsOfLinks1764100000023().up(runner());
    expect(core.runner.checkpoint('grid')).toBe(before);
  });
});
