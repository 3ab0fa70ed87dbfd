import { type FieldDefinition } from '@crm/events';
import { FormulaGraph } from './dependency-graph';
import { type LinkContext, type LinkedRecord } from './link-field';
import { computeAllFormulas, recomputeFormulas } from './record-formulas';

const field = (
  id: string,
  type: string,
  options: Record<string, unknown> = {},
): FieldDefinition => ({
  id,
  name: id,
  type,
  options,
  role: null,
});

/** Investors linking to commitments, each computed type over the link. */
const commitmentFields = [
  field('c_name', 'text'),
  field('c_amount', 'currency'),
  field('c_status', 'single_select', { choices: [{ name: 'Soft' }, { name: 'Hard' }] }),
  field('c_date', 'date'),
];
const signed = {
  conjunction: 'and',
  conditions: [{ field_id: 'c_status', operator: 'is', value: 'Hard' }],
};
const investorFields = [
  field('i_name', 'text'),
  field('i_deals', 'link', { table_id: 'tbl_com' }),
  field('total', 'rollup', {
    link_field_id: 'i_deals',
    target_field_id: 'c_amount',
    formula: 'SUM(values)',
    result_type: 'number',
  }),
  field('hard_total', 'rollup', {
    link_field_id: 'i_deals',
    target_field_id: 'c_amount',
    formula: 'SUM(values)',
    conditions: signed,
    result_type: 'number',
  }),
  field('joined', 'rollup', {
    link_field_id: 'i_deals',
    target_field_id: 'c_amount',
    formula: 'ARRAYJOIN(ARRAYUNIQUE(values), "; ")',
    result_type: 'text',
  }),
  field('names', 'lookup', {
    link_field_id: 'i_deals',
    target_field_id: 'c_name',
    result_type: 'array',
  }),
  field('n', 'count', { link_field_id: 'i_deals', result_type: 'number' }),
  field('label', 'formula', { formula: '{n} & " deals, " & {total}', result_type: 'text' }),
];

function given(commitments: Partial<LinkedRecord>[]) {
  const byId = new Map(
    commitments.map((c) => [
      c.id!,
      { table_id: 'tbl_com', values: {}, archived: false, ...c } as LinkedRecord,
    ]),
  );
  const links: LinkContext = {
    fieldsOf: (id) => (id === 'tbl_com' ? commitmentFields : undefined),
    primaryFieldOf: () => 'c_name',
    records: (ids) => ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  };
  const graph = FormulaGraph.of(investorFields, links);
  return {
    byId,
    /** When an investor links to these commitments, then its computed values. */
    computedFor: (deals: string[]) =>
      computeAllFormulas(
        graph,
        { id: 'rec_i', values: { i_deals: deals }, created_at: null, updated_at: null },
        Date.parse('2026-03-01T00:00:00Z'),
      ),
  };
}

const c1 = {
  id: 'c1',
  values: { c_name: 'A', c_amount: 100, c_status: 'Hard', c_date: '2026-01-05' },
};
const c2 = {
  id: 'c2',
  values: { c_name: 'B', c_amount: 50, c_status: 'Soft', c_date: '2026-02-01' },
};
const c3 = { id: 'c3', values: { c_name: 'C', c_amount: 100, c_status: 'Hard' } };

describe('lookup, rollup and count fields', () => {
  it('given linked commitments, computes each type over them (Airtable semantics)', () => {
    const { computedFor } = given([c1, c2, c3]);
    expect(computedFor(['c1', 'c2', 'c3'])).toEqual({
      total: 250,
      hard_total: 200,
      joined: '100; 50',
      names: ['A', 'B', 'C'],
      n: 3,
      label: '3 deals, 250',
    });
  });

  it('given no links, a count is 0, a sum 0 and a lookup blank', () => {
    const { computedFor } = given([c1]);
    expect(computedFor([])).toEqual({ total: 0, hard_total: 0, n: 0, label: '0 deals, 0' });
  });

  it('when a commitment is relinked away, it no longer counts', () => {
    const { computedFor } = given([c1, c2]);
    expect(computedFor(['c1', 'c2'])).toMatchObject({ total: 150, n: 2 });
    expect(computedFor(['c2'])).toMatchObject({ total: 50, n: 1, names: ['B'] });
  });

  it('when a commitment is archived it is left out; unarchived it is back', () => {
    const { byId, computedFor } = given([c1, c2]);
    byId.get('c1')!.archived = true;
    expect(computedFor(['c1', 'c2'])).toMatchObject({ total: 50, n: 1 });
    byId.get('c1')!.archived = false;
    expect(computedFor(['c1', 'c2'])).toMatchObject({ total: 150, n: 2 });
  });

  it('given a fund-sized link (15,000 commitments, more than a link cell may be typed with), totals them', () => {
    const many = Array.from({ length: 15_000 }, (_, i) => ({
      id: `c${i}`,
      values: { c_name: `C${i}`, c_amount: 10, c_status: i % 4 ? 'Hard' : 'Soft' },
    }));
    const { computedFor } = given(many);
    expect(computedFor(many.map((c) => c.id))).toMatchObject({
      total: 150_000,
      hard_total: 112_500,
      n: 15_000,
    });
  });

  it('when the looked-up field is gone, every record shows why', () => {
    const graph = FormulaGraph.of(investorFields, {
      fieldsOf: () => [field('c_name', 'text')],
      primaryFieldOf: () => 'c_name',
      records: () => [],
    });
    expect(graph.node('total')!.error).toBe('the field it looks up was removed');
    expect(graph.node('n')!.error).toBeNull();
  });

  it('without the linked records at hand (the browser), keeps the values it has', () => {
    const graph = FormulaGraph.of(investorFields);
    const kept = recomputeFormulas(
      graph.affectedBy(['i_deals']),
      {
        id: 'r',
        values: { i_deals: ['c1'] },
        computed: { total: 7, n: 1 },
        created_at: null,
        updated_at: null,
      },
      0,
    );
    expect(kept).toMatchObject({ total: 7, n: 1, label: '1 deals, 7' });
  });

  it('orders a formula reading a rollup after it, and recomputes both when the link changes', () => {
    const graph = FormulaGraph.of(investorFields);
    const order = graph.ordered.map((x) => x.field.id);
    expect(order.indexOf('total')).toBeLessThan(order.indexOf('label'));
    expect(graph.affectedBy(['i_deals']).map((x) => x.field.id)).toContain('label');
  });
});
