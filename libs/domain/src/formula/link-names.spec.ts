import { type FieldDefinition } from '@crm/events';
import { FormulaGraph } from './dependency-graph';
import { type LinkContext, type LinkedRecord } from './link-field';
import { crossReadsOf } from './link-names';
import { computeAllFormulas, recomputeFormulas } from './record-formulas';

const field = (
  id: string,
  type: string,
  options: Record<string, unknown> = {},
): FieldDefinition => ({ id, name: id, type, options, role: null });

/** Contacts link to investors; investors link to funds. */
const fundFields = [field('f_name', 'text')];
const investorFields = [
  field('i_name', 'text'),
  field('i_funds', 'link', { table_id: 'tbl_fund' }),
];
const contactFields = [
  field('c_name', 'text'),
  field('c_investor', 'link', { table_id: 'tbl_inv' }),
  field('c_funds', 'lookup', {
    link_field_id: 'c_investor',
    target_field_id: 'i_funds',
    result_type: 'array',
  }),
  field('label', 'formula', { formula: '{c_name} & " at " & {c_investor}', result_type: 'text' }),
  field('joined', 'formula', { formula: 'ARRAYJOIN({c_investor}, "; ")', result_type: 'text' }),
  field('in_funds', 'formula', { formula: 'ARRAYJOIN({c_funds}, ", ")', result_type: 'text' }),
];

function given(records: (Partial<LinkedRecord> & { id: string; table_id: string })[]) {
  const byId = new Map(records.map((r) => [r.id, { values: {}, archived: false, ...r }]));
  const tables: Record<string, FieldDefinition[]> = {
    tbl_fund: fundFields,
    tbl_inv: investorFields,
  };
  const links: LinkContext = {
    fieldsOf: (id) => tables[id],
    primaryFieldOf: (id) => tables[id]?.[0]?.id,
    records: (ids) => ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  };
  const graph = FormulaGraph.of(contactFields, links);
  return {
    byId,
    links,
    graph,
    /** When a contact has these values, then its computed values. */
    computedFor: (values: Record<string, unknown>) =>
      computeAllFormulas(graph, { id: 'rec_c', values, created_at: null, updated_at: null }, 0),
  };
}

const yale = {
  id: 'inv_y',
  table_id: 'tbl_inv',
  values: { i_name: 'Yale', i_funds: ['f1', 'f2'] },
};
const mit = { id: 'inv_m', table_id: 'tbl_inv', values: { i_name: 'MIT' } };
const funds = [
  { id: 'f1', table_id: 'tbl_fund', values: { f_name: 'Fund I' } },
  { id: 'f2', table_id: 'tbl_fund', values: { f_name: 'Fund II' } },
];

describe('links read as names in formulas', () => {
  it('given a linked investor, a formula reads its name, not its id', () => {
    const { computedFor } = given([yale, mit]);
    expect(computedFor({ c_name: 'Ann', c_investor: ['inv_y', 'inv_m'] })).toMatchObject({
      label: 'Ann at Yale, MIT',
      joined: 'Yale; MIT',
    });
  });

  it('given a lookup of a link, it and a formula reading it show the names of the records', () => {
    const { computedFor } = given([yale, ...funds]);
    const computed = computedFor({ c_name: 'Ann', c_investor: ['inv_y'] });
    expect(computed.c_funds).toEqual(['Fund I', 'Fund II']);
    expect(computed.in_funds).toBe('Fund I, Fund II');
  });

  it('given a rollup of a link, its values are the names (a fund renamed shows renamed)', () => {
    const rollup = field('fund_names', 'rollup', {
      link_field_id: 'c_investor',
      target_field_id: 'i_funds',
      formula: 'ARRAYJOIN(ARRAYUNIQUE(values), " / ")',
      result_type: 'text',
    });
    const records = new Map([[yale.id, yale], ...funds.map((f) => [f.id, f] as const)]);
    const links: LinkContext = {
      fieldsOf: (id) => ({ tbl_fund: fundFields, tbl_inv: investorFields })[id],
      primaryFieldOf: (id) => (id === 'tbl_fund' ? 'f_name' : 'i_name'),
      records: (ids) =>
        ids.flatMap((id) =>
          records.has(id) ? [{ archived: false, ...records.get(id)! } as LinkedRecord] : [],
        ),
    };
    const graph = FormulaGraph.of([...contactFields, rollup], links);
    const record = {
      id: 'rec_c',
      values: { c_investor: ['inv_y'] },
      created_at: null,
      updated_at: null,
    };
    expect(computeAllFormulas(graph, record, 0).fund_names).toBe('Fund I / Fund II');
    records.set('f1', { ...funds[0], values: { f_name: 'Fund One' } });
    expect(computeAllFormulas(graph, record, 0).fund_names).toBe('Fund One / Fund II');
  });

  it('when the linked investor is renamed, recomputing the contact shows the new name', () => {
    const { byId, computedFor } = given([yale]);
    byId.get('inv_y')!.values = { i_name: 'Yale Investments Office' };
    expect(computedFor({ c_name: 'Ann', c_investor: ['inv_y'] }).label).toBe(
      'Ann at Yale Investments Office',
    );
  });

  it('leaves out archived, missing and unnamed records', () => {
    const { byId, computedFor } = given([yale, mit, { id: 'inv_x', table_id: 'tbl_inv' }]);
    byId.get('inv_m')!.archived = true;
    expect(
      computedFor({ c_name: 'Ann', c_investor: ['inv_y', 'inv_m', 'inv_x', 'inv_gone'] }).joined,
    ).toBe('Yale');
  });

  it('without the linked records (the browser), a formula reading a link keeps its value', () => {
    const graph = FormulaGraph.of(contactFields);
    const kept = recomputeFormulas(
      graph.affectedBy(['c_investor', 'c_name']),
      {
        id: 'rec_c',
        values: { c_name: 'Bo', c_investor: ['inv_y'] },
        computed: { label: 'Ann at Yale' },
        created_at: null,
        updated_at: null,
      },
      0,
    );
    expect(kept.label).toBe('Ann at Yale');
  });

  it('tells which other tables a rename must reach: a link read by name, a lookup of a link relayed', () => {
    const { graph, links } = given([]);
    expect(crossReadsOf(graph, contactFields, links)).toEqual(
      expect.arrayContaining([
        {
          kind: 'reader',
          node_id: 'label',
          link_field_id: 'c_investor',
          target_table_id: 'tbl_inv',
          reads: ['i_name'],
        },
        {
          kind: 'relay',
          source_table_id: 'tbl_inv',
          link_field_id: 'i_funds',
          target_table_id: 'tbl_fund',
          reads: ['f_name'],
        },
        {
          kind: 'reader',
          node_id: 'c_funds',
          link_field_id: 'c_investor',
          target_table_id: 'tbl_inv',
          reads: ['i_funds'],
        },
      ]),
    );
  });
});
