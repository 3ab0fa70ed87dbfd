import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideAddLinkInverses } from '../table/link-inverse';
import { eventsOf, Given } from '../testing/given-when-then';
import { decideComputeBase } from './compute-base.decide';
import { defaultFundraisingBase } from './default-base';

const IDS = {
  ids: {
    typed: 'fld_typed',
    count: 'fld_count',
    fund_committed: 'fld_fc',
    fund_share: 'fld_fs',
    stage: 'fld_st',
  },
};

/** Given the default base as the previous version made it, and investors with typed amounts. */
function given(investors: { name: string; typed: number | null; deals: [number, string][] }[]) {
  let n = 0;
  const base = defaultFundraisingBase((prefix) => `${prefix}_${++n}`);
  const g = Given.empty();
  for (const t of base.tables) g.apply((ctx) => decideCreateTable(t, ctx));
  const inverse_ids: Record<string, string> = {};
  for (const t of base.tables)
    for (const f of t.fields) if (f.type === 'link') inverse_ids[f.id] = `${f.id}_inv`;
  g.apply((ctx) => decideAddLinkInverses({ inverse_ids }, ctx));
  const table = (role: string) => base.tables.find((t) => t.role === role)!;
  const field = (t: string, role: string) => table(t).fields.find((f) => f.role === role)!.id;
  const inv = (role: string) => field('investors', `investor.${role}`);
  const com = (role: string) => field('commitments', `commitment.${role}`);
  const changes = investors.flatMap((i, k) => [
    {
      op: 'create' as const,
      table_id: table('investors').table_id,
      record_id: `rec_i${k}`,
      values: { [inv('name')]: i.name, [inv('committed_amount')]: i.typed },
    },
    ...i.deals.map(([amount, status], j) => ({
      op: 'create' as const,
      table_id: table('commitments').table_id,
      record_id: `rec_c${k}_${j}`,
      values: {
        [com('name')]: `${i.name} ${j}`,
        [com('investor')]: [`rec_i${k}`],
        [com('amount')]: amount,
        [com('status')]: status,
      },
    })),
  ]);
  if (changes.length)
    g.apply((ctx) => decideChanges({ changes, at: g.now, actor_id: 'usr_ann' }, ctx));
  return { g, inv };
}

describe('the default base computes', () => {
  it('given typed amounts, when computed, then they are kept and the differing ones reported', () => {
    const { g, inv } = given([
      {
        name: 'Agrees',
        typed: 300,
        deals: [
          [100, 'Hard'],
          [200, 'Funded'],
        ],
      },
      {
        name: 'Differs',
        typed: 500,
        deals: [
          [400, 'Signed'],
          [90, 'Soft'],
        ],
      },
      { name: 'Untyped', typed: null, deals: [[70, 'Hard']] },
    ]);
    const d = decideComputeBase(IDS, g.ctx);
    expect(d.kept).toBe(2);
    expect(d.differences).toEqual([
      { record_id: 'rec_i1', name: 'Differs', typed: 500, computed: 400 },
    ]);
    g.appendAll(d.appends, 'system');
    const investors = [...g.state.tables.values()].find((t) => t.role === 'investors')!;
    expect(investors.fields.find((f) => f.id === inv('committed_amount'))).toMatchObject({
      type: 'rollup',
      options: { formula: 'SUM(values)', result_type: 'number' },
    });
    expect(investors.fields.find((f) => f.id === 'fld_typed')).toMatchObject({
      name: 'Committed (typed)',
      type: 'currency',
    });
    const values = (id: string) => g.state.records.get(id)!.values;
    expect(values('rec_i0')).toMatchObject({ fld_typed: 300 });
    expect(values('rec_i0')[inv('committed_amount')] ?? null).toBeNull();
    expect(values('rec_i1')).toMatchObject({ fld_typed: 500 });
    expect(values('rec_i2').fld_typed).toBeUndefined();
  });

  it('given the retype, then it lists the differing typed amounts, for history and the activity feed', () => {
    const { g } = given([{ name: 'Differs', typed: 5, deals: [] }]);
    const retyped = eventsOf(decideComputeBase(IDS, g.ctx)).find((e) => e.type === 'FieldRetyped');
    expect(retyped?.data).toMatchObject({
      from: { type: 'currency' },
      to: { type: 'rollup' },
      unconverted: [{ record_id: 'rec_i0', value: 5 }],
    });
  });

  it('given no typed amount (a fresh base), then no typed field, and each table gets its fields', () => {
    const { g } = given([]);
    const events = eventsOf(decideComputeBase(IDS, g.ctx));
    const added = events.flatMap((e) =>
      e.type === 'FieldAdded' ? [(e.data as { field: { name: string; type: string } }).field] : [],
    );
    expect(added.map((f) => [f.name, f.type])).toEqual([
      ['Commitment count', 'count'],
      ['Committed', 'rollup'],
      ['% of target', 'formula'],
      ['Investor stage', 'lookup'],
    ]);
    expect(events.filter((e) => e.type === 'RecordUpdated')).toEqual([]);
  });

  it('given it ran, when decided again, then nothing more is appended', () => {
    const { g } = given([{ name: 'Agrees', typed: 100, deals: [[100, 'Hard']] }]);
    g.appendAll(decideComputeBase(IDS, g.ctx).appends, 'system');
    expect(eventsOf(decideComputeBase(IDS, g.ctx))).toEqual([]);
  });
});
