import { type FieldDefinition } from '@crm/events';
import { applyView } from './apply-view';
import { viewGroups } from './view-groups';
import { recordAccess, type ViewRecord } from './view-rows';

const fields: FieldDefinition[] = [
  { id: 'name', name: 'Name', type: 'text', options: {} },
  {
    id: 'stage',
    name: 'Stage',
    type: 'single_select',
    options: { choices: [{ name: 'Lead' }, { name: 'Engaged' }] },
  },
  { id: 'city', name: 'City', type: 'text', options: {} },
  { id: 'amount', name: 'Amount', type: 'currency', options: {} },
] as FieldDefinition[];

const rec = (
  id: string,
  stage: string | null,
  city: string,
  amount: number | null,
): ViewRecord => ({
  id,
  values: { name: id, stage, city, amount },
});

const rows = [
  rec('a', 'Engaged', 'Zürich', 10),
  rec('b', 'Lead', 'Paris', 5),
  rec('c', null, 'Paris', null),
  rec('d', 'Lead', 'zurich', 7),
  rec('e', 'Engaged', 'Paris', 1),
];

const config = {
  group_by: [
    { field_id: 'stage', direction: 'asc' as const },
    { field_id: 'city', direction: 'asc' as const },
  ],
  sorts: [{ field_id: 'amount', direction: 'desc' as const }],
};

describe('grouped views', () => {
  it('given records, when grouped by stage then city, then rows come in group order and then the sort', () => {
    const ordered = applyView(rows, fields, config, recordAccess, { now: 0 });
    expect(ordered.map((r) => r.id)).toEqual(['c', 'b', 'd', 'e', 'a']);
  });

  it('given ordered rows, when grouping, then each level has its start, count and sums', () => {
    const ordered = applyView(rows, fields, config, recordAccess, { now: 0 });
    const groups = viewGroups(ordered, fields, config.group_by, recordAccess, { now: 0 });
    expect(groups.map((g) => [g.level, g.value, g.start, g.count, g.sums.amount])).toEqual([
      [0, null, 0, 1, undefined],
      [1, 'Paris', 0, 1, undefined],
      [0, 'Lead', 1, 2, 12],
      [1, 'Paris', 1, 1, 5],
      [1, 'zurich', 2, 1, 7],
      [0, 'Engaged', 3, 2, 11],
      [1, 'Paris', 3, 1, 1],
      [1, 'Zürich', 4, 1, 10],
    ]);
    // Keys tell apart the same city under two stages, and stay the same for the same values.
    expect(groups[3].key).not.toEqual(groups[6].key);
    expect(groups[2].key).toEqual(JSON.stringify([0]));
  });

  it('given no grouping, when grouping, then there are no groups', () => {
    expect(viewGroups(rows, fields, [], recordAccess, { now: 0 })).toEqual([]);
  });
});

describe('grouped amounts in their records’ own currencies', () => {
  const linked: FieldDefinition[] = [
    ...fields,
    { id: 'fund', name: 'Fund', type: 'link', options: { table_id: 'tbl_f' }, role: null },
    {
      id: 'commit',
      name: 'Commitment',
      type: 'currency',
      options: { currency_from: 'fund' },
      role: null,
    },
  ];
  const fundCurrency: Record<string, string> = { f_chf: 'CHF', f_usd: 'USD' };
  const row = (id: string, stage: string, fund: string, commit: number): ViewRecord => ({
    id,
    values: { name: id, stage, fund: [fund], commit },
  });
  const ordered = [
    row('a', 'Lead', 'f_chf', 10),
    row('b', 'Lead', 'f_usd', 5),
    row('c', 'Lead', 'f_chf', 1),
    row('d', 'Engaged', 'f_chf', 2),
  ];
  const groupBy = [{ field_id: 'stage', direction: 'asc' as const }];

  it('given rows in two currencies, when grouped, then sums per currency and never one figure', () => {
    const access = {
      ...recordAccess,
      currency: (r: ViewRecord) => fundCurrency[(r.values.fund as string[])[0]] ?? null,
    };
    const groups = viewGroups(ordered, linked, groupBy, access, { now: 0 });
    expect(groups.map((g) => [g.value, g.sums.commit, g.amounts?.commit])).toEqual([
      ['Lead', undefined, { CHF: 11, USD: 5 }],
      ['Engaged', undefined, { CHF: 2 }],
    ]);
  });

  it('given no way to read a row’s currency, when grouped, then such amounts are not summed', () => {
    const groups = viewGroups(ordered, linked, groupBy, recordAccess, { now: 0 });
    expect(groups.map((g) => [g.sums.commit, g.amounts])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });
});
