import { type FieldDefinition } from '@crm/events';
import { FormulaGraph } from './dependency-graph';
import { type LinkContext, type LinkedRecord } from './link-field';
import { computeAllFormulas } from './record-formulas';

const field = (
  id: string,
  type: string,
  options: Record<string, unknown> = {},
  role: string | null = null,
): FieldDefinition => ({ id, name: id, type, options, role });

/** Investors → commitments → funds; a commitment's amount is in its fund's currency. */
const fundFields = [
  field('f_name', 'text'),
  field('f_currency', 'single_select', {}, 'fund.currency'),
];
const commitmentFields = [
  field('c_name', 'text'),
  field('c_fund', 'link', { table_id: 'tbl_fund' }),
  field('c_amount', 'currency', { currency_from: 'c_fund', currency: 'USD' }),
];
const rollup = (id: string, formula: string, result_type: string) =>
  field(id, 'rollup', {
    link_field_id: 'i_deals',
    target_field_id: 'c_amount',
    formula,
    result_type,
  });
const investorFields = [
  field('i_name', 'text'),
  field('i_deals', 'link', { table_id: 'tbl_com' }),
  rollup('total', 'SUM(values)', 'number'),
  rollup('joined', 'ARRAYJOIN(values, "; ")', 'text'),
];

const records: LinkedRecord[] = [
  { id: 'chf', table_id: 'tbl_fund', values: { f_name: 'Alpine I', f_currency: 'CHF' } },
  { id: 'usd', table_id: 'tbl_fund', values: { f_name: 'Growth II', f_currency: 'USD' } },
  { id: 'c1', table_id: 'tbl_com', values: { c_fund: ['chf'], c_amount: 100 } },
  { id: 'c2', table_id: 'tbl_com', values: { c_fund: ['chf'], c_amount: 50 } },
  { id: 'c3', table_id: 'tbl_com', values: { c_fund: ['usd'], c_amount: 7 } },
  { id: 'c4', table_id: 'tbl_com', values: { c_fund: [], c_amount: 1 } },
].map((r) => ({ archived: false, ...r }));
const byId = new Map(records.map((r) => [r.id, r]));
const links: LinkContext = {
  fieldsOf: (id) =>
    id === 'tbl_com' ? commitmentFields : id === 'tbl_fund' ? fundFields : undefined,
  primaryFieldOf: (id) => (id === 'tbl_com' ? 'c_name' : 'f_name'),
  records: (ids) => ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
};
const graph = FormulaGraph.of(investorFields, links);
const computedFor = (deals: string[]) =>
  computeAllFormulas(
    graph,
    { id: 'rec_i', values: { i_deals: deals }, created_at: null, updated_at: null },
    Date.parse('2026-03-01T00:00:00Z'),
  );

describe('a rollup over amounts in their funds’ currencies', () => {
  it('given commitments to funds of one currency, when summed, then one total', () => {
    expect(computedFor(['c1', 'c2']).total).toBe(150);
  });

  it('given commitments to a CHF and a USD fund, when summed, then refused, naming both', () => {
    expect(computedFor(['c1', 'c3']).total).toEqual({
      error: 'amounts in different currencies (CHF, USD) have no one total',
    });
  });

  it('given a commitment with no fund, when summed with a CHF one, then its own USD counts apart', () => {
    expect(computedFor(['c1', 'c4']).total).toEqual({
      error: 'amounts in different currencies (CHF, USD) have no one total',
    });
  });

  it('given mixed currencies, when the rollup gives text, then it lists them as they are', () => {
    expect(computedFor(['c1', 'c3']).joined).toBe('100; 7');
  });
});
