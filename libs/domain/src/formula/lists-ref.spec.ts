import { type FieldDefinition } from '@crm/events';
import { decideAddField } from '../table/decide/add-field.decide';
import { givenBase } from '../testing/given-automation';
import { FormulaGraph } from './dependency-graph';
import { formulaForDisplay, normalizeFormulaOptions } from './formula-field';
import { type LinkContext } from './link-field';
import { listsValue } from './lists-ref';
import { computeAllFormulas, recomputeFormulas } from './record-formulas';

const field = (id: string, name: string, type: string, options = {}): FieldDefinition => ({
  id,
  name,
  type,
  options,
  role: null,
});
/** The server reads other records; these specs need none, only that the formulas really run. */
const SERVER: LinkContext = {
  fieldsOf: () => undefined,
  primaryFieldOf: () => undefined,
  records: () => [],
};
const NAME = field('fld_name', 'Name', 'text');
const AMOUNT = field('fld_amount', 'Amount', 'currency');

function givenFormula(source: string, fields: FieldDefinition[] = [NAME, AMOUNT]) {
  const options = normalizeFormulaOptions('Follow up?', { formula: source }, fields, 'fld_f');
  return [...fields, field('fld_f', 'Follow up?', 'formula', options)];
}
const record = (values: Record<string, unknown>) => ({
  id: 'rec_1',
  values,
  created_at: '2026-12-01T00:00:00.000Z',
  updated_at: '2026-12-01T00:00:00.000Z',
});
const NOW = Date.parse('2026-12-06T12:00:00.000Z');

describe('{Lists} in formulas', () => {
  it('given a table, when a formula names {Lists}, then it is stored by id and shown by name', () => {
    const fields = givenFormula('IF(FIND("follow_up", {Lists}), "yes", "no")');
    const stored = String(fields[2].options.formula);
    expect(stored).toBe('IF(FIND("follow_up", {lists}), "yes", "no")');
    expect(formulaForDisplay(stored, fields)).toBe('IF(FIND("follow_up", {Lists}), "yes", "no")');
    expect(fields[2].options.result_type).toBe('text');
  });

  it("given a record's lists, when the formula runs, then it reads their keys", () => {
    const graph = FormulaGraph.of(
      givenFormula('IF(FIND("follow_up", {Lists}), "yes", "no")'),
      SERVER,
    );
    const inFollowUp = record({
      fld_name: 'Yale',
      lists: listsValue(['main', 'follow_up', 'all']),
    });
    expect(computeAllFormulas(graph, inFollowUp, NOW)).toEqual({ fld_f: 'yes' });
    expect(computeAllFormulas(graph, record({ fld_name: 'Yale', lists: [] }), NOW)).toEqual({
      fld_f: 'no',
    });
    const counted = FormulaGraph.of(givenFormula('COUNTALL({Lists})'), SERVER);
    expect(computeAllFormulas(counted, inFollowUp, NOW)).toEqual({ fld_f: 2 });
  });

  it('given the dependency graph, when the lists change, then only formulas reading them recompute', () => {
    const fields = givenFormula('IF(FIND("follow_up", {Lists}), "yes", "no")');
    const graph = FormulaGraph.of(
      [...fields, field('fld_g', 'Twice', 'formula', { formula: '{fld_amount} * 2' })],
      SERVER,
    );
    expect(graph.affectedBy(['lists']).map((n) => n.field.id)).toEqual(['fld_f']);
    // An edit of the amount leaves the lists unread.
    expect(graph.affectedBy(['fld_amount']).map((n) => n.field.id)).toEqual(['fld_g']);
  });

  it('given a field named Lists, then {Lists} is that field', () => {
    const own = field('fld_own', 'Lists', 'text');
    const fields = givenFormula('{Lists} & "!"', [NAME, own]);
    expect(fields[2].options.formula).toBe('{fld_own} & "!"');
  });

  it('given no linked records at hand (the browser), then the formula keeps the value it has', () => {
    const graph = FormulaGraph.of(givenFormula('IF(FIND("follow_up", {Lists}), "yes", "no")'));
    const kept = { ...record({ fld_name: 'Yale' }), computed: { fld_f: 'yes' } };
    expect(recomputeFormulas(graph.ordered, kept, NOW)).toEqual({ fld_f: 'yes' });
    // Given the lists at hand (the browser follows the moves), it computes like the server.
    const computing = FormulaGraph.of(
      givenFormula('IF(FIND("follow_up", {Lists}), "yes", "no")'),
      undefined,
      { lists: true },
    );
    expect(recomputeFormulas(computing.ordered, { ...kept, values: { lists: [] } }, NOW)).toEqual({
      fld_f: 'no',
    });
  });

  it('given the investors table, when a formula field reading {Lists} is added, then it is', () => {
    const g = givenBase();
    const [added] = g.apply((ctx) =>
      decideAddField(
        {
          table_id: 'tbl_inv',
          field: {
            id: 'fld_f',
            name: 'Follow up?',
            type: 'formula',
            options: { formula: 'IF(FIND("follow_up", {Lists}), "yes", "no")' },
          },
        },
        ctx,
      ),
    );
    expect((added.data as { field: FieldDefinition }).field.options).toEqual({
      formula: 'IF(FIND("follow_up", {lists}), "yes", "no")',
      result_type: 'text',
    });
  });
});
