import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideAddField } from '../table/decide/add-field.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideRetypeField } from '../table/decide/retype-field.decide';
import { domainErrorOf } from '../testing/domain-error-of';
import { Given } from '../testing/given-when-then';
import { FormulaGraph } from './dependency-graph';
import { estimateRecompute, evenSample } from './recompute-cost';
import {
  OUT_OF_RECORD_BUDGET,
  OUT_OF_TABLE_BUDGET,
  recomputeFormulas,
  recomputeFormulasMetered,
} from './record-formulas';
import { FORMULA_LIMITS, tableRecomputeFuel } from './types';

/** About 60,000 regex steps a record: within one record's budget, far past a table's. */
const COSTLY = 'LEN(REGEX_REPLACE(REPT({Name}, 5000), "z", "y"))';
const CHEAP = 'IF({Amount} > 5, {Amount} * 2, 0)';

function givenInvestors(records: number): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl',
        name: 'Investors',
        fields: [
          { id: 'name', name: 'Name', type: 'text' },
          { id: 'amount', name: 'Amount', type: 'number' },
        ],
      },
      ctx,
    ),
  );
  const creates = Array.from({ length: records }, (_, i) => ({
    op: 'create' as const,
    table_id: 'tbl',
    record_id: `rec${i}`,
    values: { name: `lp ${i}`, amount: i },
  }));
  if (records)
    g.apply((ctx) => decideChanges({ changes: creates, at: g.now, actor_id: 'usr_admin' }, ctx));
  return g;
}

describe('the work of recomputing a formula for a whole table', () => {
  it('refuses to add a formula whose estimated recompute is past the table budget, naming the reason', () => {
    const g = givenInvestors(1_000);
    const err = domainErrorOf(() =>
      decideAddField(
        {
          table_id: 'tbl',
          field: { id: 'costly', name: 'Costly', type: 'formula', options: { formula: COSTLY } },
        },
        g.ctx,
      ),
    );
    expect(err.code).toBe('validation');
    expect(err.message).toMatch(
      /^field "Costly": this formula needs too much work to compute for all 1,000 records/,
    );
    expect(err.details).toMatchObject({
      field: 'Costly',
      option: 'formula',
      reason: 'formula_too_costly',
      records: 1_000,
      budget_units: FORMULA_LIMITS.recomputeFuel,
    });
  });

  it('adds the same formula to a small table, and a cheap formula to a large one', () => {
    expect(
      decideAddField(
        {
          table_id: 'tbl',
          field: { id: 'costly', name: 'Costly', type: 'formula', options: { formula: COSTLY } },
        },
        givenInvestors(3).ctx,
      ).appends[0].events[0].type,
    ).toBe('FieldAdded');
    expect(
      decideAddField(
        {
          table_id: 'tbl',
          field: { id: 'cheap', name: 'Cheap', type: 'formula', options: { formula: CHEAP } },
        },
        givenInvestors(5_000).ctx,
      ).appends[0].events[0].type,
    ).toBe('FieldAdded');
  });

  it('refuses to turn a field into the costly formula, or give a formula field the costly text', () => {
    const g = givenInvestors(1_000);
    g.apply((ctx) =>
      decideAddField(
        {
          table_id: 'tbl',
          field: { id: 'f', name: 'F', type: 'formula', options: { formula: CHEAP } },
        },
        ctx,
      ),
    );
    expect(
      domainErrorOf(() =>
        decideRetypeField({ field_id: 'f', type: 'formula', options: { formula: COSTLY } }, g.ctx),
      ).details,
    ).toMatchObject({ reason: 'formula_too_costly' });
    g.apply((ctx) =>
      decideAddField({ table_id: 'tbl', field: { id: 't', name: 'T', type: 'text' } }, ctx),
    );
    expect(
      domainErrorOf(() =>
        decideRetypeField({ field_id: 't', type: 'formula', options: { formula: COSTLY } }, g.ctx),
      ).details,
    ).toMatchObject({ reason: 'formula_too_costly' });
  });

  it("gives a large table a budget that grows with it: an ordinary formula is never refused for the table's size", () => {
    // Given a table far past the size where the fixed budget would run out...
    expect(tableRecomputeFuel(1_000)).toBe(FORMULA_LIMITS.recomputeFuel);
    expect(tableRecomputeFuel(100_000)).toBe(100_000 * FORMULA_LIMITS.recomputeFuelPerRecord);
    const g = givenInvestors(32);
    const table = g.state.tables.get('tbl')!;
    const sample = [...g.ctx.recordsOf('tbl')];
    const nodesOf = (formula: string) =>
      FormulaGraph.of([
        ...table.fields,
        { id: 'f', name: 'F', type: 'formula', options: { formula }, role: null },
      ]).dependentsOf('f');
    // ...when a cheap formula and the costly one are estimated for 100,000 records, then only the costly one is past it.
    expect(estimateRecompute(nodesOf(CHEAP), sample, 100_000)).toMatchObject({
      records: 100_000,
      exceeded: false,
      budget: 20_000_000,
    });
    expect(estimateRecompute(nodesOf(COSTLY), sample, 100_000)).toMatchObject({
      records: 100_000,
      exceeded: true,
    });
  });

  it("spends no more than the records' share of the budget on the estimate", () => {
    const g = givenInvestors(1_000);
    const table = g.state.tables.get('tbl')!;
    const nodes = FormulaGraph.of([
      ...table.fields,
      { id: 'costly', name: 'Costly', type: 'formula', options: { formula: COSTLY }, role: null },
    ]).dependentsOf('costly');
    const records = [...g.ctx.recordsOf('tbl')];
    const e = estimateRecompute(nodes, evenSample(records), records.length);
    expect(e).toMatchObject({ records: 1_000, exceeded: true });
    // The sample's share of 2,000,000 units for 32 of 1,000 records is 64,000: gone on the second record.
    expect(e.sampled).toBe(2);
    expect(e.per_record).toBeLessThanOrEqual((FORMULA_LIMITS.recomputeFuel / 1_000) * 32);
  });

  it('stops a recompute at its budget: what is left shows why, the same on every run', () => {
    const g = givenInvestors(2);
    const table = g.state.tables.get('tbl')!;
    const nodes = FormulaGraph.of([
      ...table.fields,
      { id: 'costly', name: 'Costly', type: 'formula', options: { formula: COSTLY }, role: null },
    ]).dependentsOf('costly');
    const record = [...g.ctx.recordsOf('tbl')][0];
    const full = recomputeFormulasMetered(nodes, record, 0, FORMULA_LIMITS.recomputeFuel);
    expect(full.computed.costly).toBe(5_000 * 'lp 0'.length);
    const short = recomputeFormulasMetered(nodes, record, 0, 1_000);
    expect(short).toEqual({ computed: { costly: { error: OUT_OF_TABLE_BUDGET } }, spent: 1_000 });
    expect(recomputeFormulasMetered(nodes, record, 0, 1_000)).toEqual(short);
  });

  it('gives all the formulas one change recomputes one budget together: those past it show why', () => {
    const g = givenInvestors(1);
    const table = g.state.tables.get('tbl')!;
    const costly = Array.from({ length: 10 }, (_, i) => ({
      id: `c${i}`,
      name: `C${i}`,
      type: 'formula',
      options: { formula: COSTLY },
      role: null,
    }));
    const nodes = FormulaGraph.of([...table.fields, ...costly]).affectedBy(['name']);
    const computed = recomputeFormulas(nodes, [...g.ctx.recordsOf('tbl')][0], 0);
    // About 60,000 units each: eight fit in FORMULA_LIMITS.recordFuel (500,000), the rest do not run.
    expect(Object.values(computed)).toEqual([
      ...Array(8).fill(5_000 * 'lp 0'.length),
      { error: OUT_OF_RECORD_BUDGET },
      { error: OUT_OF_RECORD_BUDGET },
    ]);
  });
});
