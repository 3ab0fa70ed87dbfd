import { type FieldDefinition } from '@crm/events';
import fc from 'fast-check';
import { applyView } from './apply-view';
import { type FilterGroup, OPERATORS_BY_KIND, filterKind } from './view-config';
import { validateViewConfig } from './validate-view-config';
import { recordAccess, type ViewRecord } from './view-rows';

const f = (id: string, type: string, options: Record<string, unknown> = {}): FieldDefinition => ({
  id,
  name: id,
  type,
  options,
  role: null,
});
const FIELDS = [
  f('name', 'text'),
  f('stage', 'single_select', {
    choices: [{ name: 'Lead' }, { name: 'Engaged' }, { name: 'Committed' }],
  }),
  f('amount', 'currency'),
  f('next', 'date'),
  f('seen', 'date_time'),
  f('tags', 'multiple_select', {
    choices: [{ name: 'Anchor' }, { name: 'ESG' }, { name: 'Re-up' }],
  }),
  f('done', 'checkbox'),
  f('investor', 'link', { table_id: 'tbl_x' }),
  f('created', 'created_time'),
  f('owner', 'created_by'),
  f('fee', 'formula', { formula: '{amount} * 0.02', result_type: 'number' }),
  f('label', 'formula', { formula: '{name}', result_type: 'text' }),
];

const NOW = Date.parse('2026-03-15T12:00:00.000Z');
const row = (
  id: string,
  values: Record<string, unknown>,
  created_at = '2026-01-01T00:00:00.000Z',
): ViewRecord => ({
  id,
  values,
  created_at,
  created_by: id.endsWith('1') ? 'usr_ann' : 'usr_bob',
  updated_at: created_at,
});
const ROWS: ViewRecord[] = [
  row('r1', {
    name: 'Yale Endowment',
    stage: 'Engaged',
    amount: 25_000_000,
    next: '2026-03-20',
    tags: ['Anchor'],
    done: true,
    investor: ['recA'],
    fee: 500_000,
    label: 'Yale Endowment',
  }),
  row('r2', {
    name: 'acme family office',
    stage: 'Lead',
    amount: 1_000_000,
    next: '2026-03-15',
    tags: ['ESG', 'Re-up'],
    seen: '2026-03-14T23:30:00.000Z',
    fee: 20_000,
    label: 'acme family office',
  }),
  row('r3', {
    name: 'Harbor Pension',
    stage: 'Committed',
    amount: 5_000_000,
    next: '2026-02-01',
    tags: [],
    investor: ['recA', 'recB'],
    fee: { error: 'Division by zero' },
  }),
  row('r4', { name: null, amount: null, tags: ['Anchor', 'ESG'] }, '2025-12-01T00:00:00.000Z'),
];
const names = { recA: 'Alpha Capital', recB: 'Beta Partners' } as Record<string, string>;
const ctx = { now: NOW, recordName: (id: string) => names[id] };

const ids = (filters: unknown, sorts: unknown = []) =>
  applyView(ROWS, FIELDS, validateViewConfig({ filters, sorts }, FIELDS), recordAccess, ctx).map(
    (r) => r.id,
  );
const where = (field_id: string, operator: string, value: unknown = null) =>
  ids({ conjunction: 'and', conditions: [{ field_id, operator, value }] });

describe('text filters and accents typed two ways (NFC and NFD)', () => {
  const NFC = 'Caf\u00e9';
  const NFD = 'Cafe\u0301';
  const rows = [
    row('n1', {
      name: `${NFD} Capital`,
      tags: ['Anchor'],
      investor: ['recD'],
      label: `${NFD} Capital`,
    }),
    row('n2', { name: `${NFC} Partners`, investor: ['recC'], label: `${NFC} Partners` }),
    row('n3', { name: 'Cafe Ventures', label: 'Cafe Ventures' }),
  ];
  const linked = { recC: `${NFC} Holdings`, recD: `${NFD} Holdings` } as Record<string, string>;
  const matches = (field_id: string, operator: string, value: string) =>
    applyView(
      rows,
      FIELDS,
      validateViewConfig(
        { filters: { conjunction: 'and', conditions: [{ field_id, operator, value }] } },
        FIELDS,
      ),
      recordAccess,
      { now: NOW, recordName: (id: string) => linked[id] },
    ).map((r) => r.id);

  it.each([
    ['name', 'contains', NFC, ['n1', 'n2']],
    ['name', 'contains', NFD, ['n1', 'n2']],
    ['name', 'contains', 'CAF\u00c9', ['n1', 'n2']],
    ['name', 'is', `${NFC} capital`, ['n1']],
    ['name', 'is_not', `${NFD} Capital`, ['n2', 'n3']],
    ['name', 'does_not_contain', NFC, ['n3']],
    ['label', 'contains', NFD, ['n1', 'n2']],
    ['investor', 'contains', NFC, ['n1', 'n2']],
  ])(
    'given a name stored in NFD and one in NFC, when filtering %s %s %j, then how the accent was typed does not matter',
    (field, operator, value, expected) => {
      expect(matches(field, operator, value)).toEqual(expected);
    },
  );

  it('given plain ASCII text, when filtering, then "e" still does not match "é"', () => {
    expect(matches('name', 'contains', 'cafe ')).toEqual(['n3']);
  });
});

describe('applyView filters', () => {
  it.each([
    ['name', 'is', 'yale endowment', ['r1']],
    ['name', 'is_not', 'Yale Endowment', ['r2', 'r3', 'r4']],
    ['name', 'contains', 'ON', ['r3']],
    ['name', 'does_not_contain', 'on', ['r1', 'r2', 'r4']],
    ['name', 'is_empty', null, ['r4']],
    ['name', 'is_not_empty', null, ['r1', 'r2', 'r3']],
    ['name', 'contains', '', ['r1', 'r2', 'r3', 'r4']],
    ['stage', 'is', 'Lead', ['r2']],
    ['stage', 'is_not', 'Lead', ['r1', 'r3', 'r4']],
    ['stage', 'has_any_of', ['Lead', 'Committed'], ['r2', 'r3']],
    ['stage', 'has_none_of', ['Lead', 'Committed'], ['r1', 'r4']],
    ['amount', '=', 1_000_000, ['r2']],
    ['amount', '!=', 1_000_000, ['r1', 'r3', 'r4']],
    ['amount', '>', 1_000_000, ['r1', 'r3']],
    ['amount', '>=', 1_000_000, ['r1', 'r2', 'r3']],
    ['amount', '<', 5_000_000, ['r2']],
    ['amount', '<=', 5_000_000, ['r2', 'r3']],
    ['amount', 'is_empty', null, ['r4']],
    ['next', 'is_on', { relative: 'today' }, ['r2']],
    ['next', 'is_on', '2026-03-20', ['r1']],
    ['next', 'is_before', { relative: 'today' }, ['r3']],
    ['next', 'is_after', { relative: 'today' }, ['r1']],
    ['next', 'is_after', { relative: 'days_from_now', days: 4 }, ['r1']],
    ['next', 'is_before', { relative: 'one_month_ago' }, ['r3']],
    ['next', 'is_within', { direction: 'next', days: 7 }, ['r1', 'r2']],
    ['next', 'is_within', { direction: 'past', days: 60 }, ['r2', 'r3']],
    ['next', 'more_than_days_ago', 30, ['r3']],
    ['next', 'more_than_days_ago', 42, []],
    ['next', 'less_than_days_ago', 30, ['r1', 'r2']],
    ['seen', 'is_on', { relative: 'yesterday' }, ['r2']],
    ['created', 'is_before', '2026-01-01', ['r4']],
    ['tags', 'has_any_of', ['ESG'], ['r2', 'r4']],
    ['tags', 'has_all_of', ['Anchor', 'ESG'], ['r4']],
    ['tags', 'has_none_of', ['Anchor'], ['r2', 'r3']],
    ['tags', 'is', ['ESG', 'Anchor'], ['r4']],
    ['tags', 'contains', 're-', ['r2']],
    ['tags', 'is_empty', null, ['r3']],
    ['done', 'is', true, ['r1']],
    ['done', 'is', false, ['r2', 'r3', 'r4']],
    ['investor', 'has_any_of', ['recB'], ['r3']],
    ['investor', 'contains', 'alpha', ['r1', 'r3']],
    ['investor', 'is_empty', null, ['r2', 'r4']],
    ['owner', 'is', 'usr_ann', ['r1']],
    ['fee', '>', 100_000, ['r1']],
    ['fee', 'is_empty', null, ['r3', 'r4']],
    ['label', 'contains', 'acme', ['r2']],
  ])('%s %s %j', (field, op, value, expected) => {
    expect(where(field, op, value)).toEqual(expected);
  });

  it('combines groups three levels deep', () => {
    const filters: FilterGroup = {
      conjunction: 'or',
      conditions: [
        { field_id: 'stage', operator: 'is', value: 'Committed' },
        {
          conjunction: 'and',
          conditions: [
            { field_id: 'amount', operator: '>=', value: 1_000_000 },
            {
              conjunction: 'or',
              conditions: [
                { field_id: 'tags', operator: 'has_any_of', value: ['ESG'] },
                { field_id: 'done', operator: 'is', value: true },
              ],
            },
          ],
        },
      ],
    };
    expect(ids(filters)).toEqual(['r1', 'r2', 'r3']);
    expect(ids({ conjunction: 'and', conditions: [] })).toEqual(['r1', 'r2', 'r3', 'r4']);
  });
});

describe('applyView sorts', () => {
  it.each([
    [[{ field_id: 'amount', direction: 'desc' }], ['r1', 'r3', 'r2', 'r4']],
    [[{ field_id: 'amount', direction: 'asc' }], ['r4', 'r2', 'r3', 'r1']],
    [[{ field_id: 'name', direction: 'asc' }], ['r4', 'r2', 'r3', 'r1']],
    [[{ field_id: 'stage', direction: 'asc' }], ['r4', 'r2', 'r1', 'r3']],
    [
      [
        { field_id: 'tags', direction: 'asc' },
        { field_id: 'name', direction: 'desc' },
      ],
      ['r3', 'r1', 'r4', 'r2'],
    ],
    [[{ field_id: 'investor', direction: 'desc' }], ['r3', 'r1', 'r2', 'r4']],
    [[{ field_id: 'done', direction: 'desc' }], ['r1', 'r2', 'r3', 'r4']],
    [[{ field_id: 'created', direction: 'asc' }], ['r4', 'r1', 'r2', 'r3']],
    [[{ field_id: 'fee', direction: 'desc' }], ['r1', 'r2', 'r3', 'r4']],
  ])('%j', (sorts, expected) => {
    expect(ids(null, sorts)).toEqual(expected);
  });

  it('is a total order: any permutation of the input sorts to the same ids when the sort keys differ', () => {
    const fieldsArb = fc.array(
      fc.record({
        amount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
        name: fc.option(fc.constantFrom('a', 'B', 'c'), { nil: null }),
      }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(fieldsArb, (vals) => {
        const rows = vals.map((v, i) => row(`r${i}`, v));
        const sorted = applyView(
          rows,
          FIELDS,
          {
            sorts: [
              { field_id: 'amount', direction: 'desc' },
              { field_id: 'name', direction: 'asc' },
            ],
          },
          recordAccess,
          ctx,
        );
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1].values, sorted[i].values];
          const ka = (a.amount as number | null) ?? -Infinity;
          const kb = (b.amount as number | null) ?? -Infinity;
          expect(ka).toBeGreaterThanOrEqual(kb);
        }
      }),
    );
  });

  it('offers every kind of field at least one operator', () => {
    for (const field of FIELDS)
      expect(OPERATORS_BY_KIND[filterKind(field)].length).toBeGreaterThan(0);
  });
});
