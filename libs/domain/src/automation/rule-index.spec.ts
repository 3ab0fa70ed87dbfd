import { givenBase, givenInvestor, whenSet } from '../testing/given-automation';
import { type RuleState } from './automation.state';
import { RuleIndex } from './rule-index';
import { triggerFires } from './trigger-match';

const NOW = Date.parse('2026-03-15T12:00:00.000Z');
let n = 0;
const rule = (trigger: RuleState['trigger']): RuleState => ({
  id: `aut_${++n}`,
  name: 'rule',
  version: 1,
  stream_version: 1,
  enabled: true,
  archived: false,
  trigger,
  conditions: null,
  actions: [],
});
const stageTo = (value: string) =>
  rule({
    type: 'record_updated',
    table_id: 'tbl_inv',
    fields: ['fld_stage'],
    to: { operator: 'is', value },
  });

describe('the rule index: which rules could fire, from the event alone', () => {
  it('given rules on another table or on a schedule only, then no event of this table has a candidate', () => {
    const g = givenBase();
    const index = new RuleIndex([
      rule({ type: 'record_created', table_id: 'tbl_fund' }),
      rule({ type: 'schedule', table_id: 'tbl_inv', every: 'day', at: '07:00', time_zone: 'UTC' }),
    ]);
    const created = givenInvestor(g, 'rec_1', { fld_name: 'Yale' });
    const table = () => g.ctx.table('tbl_inv');
    expect(index.quietOn('tbl_inv')).toBe(true);
    expect(index.candidates(created, table, NOW)).toEqual([]);
  });

  it('names a record_updated rule only for a real change of a watched field to a value meeting `to`', () => {
    const g = givenBase();
    const passed = stageTo('Passed');
    const anyName = rule({ type: 'record_updated', table_id: 'tbl_inv', fields: ['fld_name'] });
    const index = new RuleIndex([passed, stageTo('Lead'), anyName]);
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Engaged' });
    let tableReads = 0;
    const table = () => (tableReads++, g.ctx.table('tbl_inv'));

    const [amount] = whenSet(g, 'rec_1', 'fld_amount', null, 5);
    expect(index.candidates(amount, table, NOW)).toEqual([]);
    expect(tableReads).toBe(0);

    const [stage] = whenSet(g, 'rec_1', 'fld_stage', 'Engaged', 'Passed');
    expect(index.candidates(stage, table, NOW)).toEqual([passed]);
    const [name] = whenSet(g, 'rec_1', 'fld_name', 'Yale', 'Yale University');
    expect(index.candidates(name, table, NOW)).toEqual([anyName]);
  });

  it('names record_created and record_matches rules on a creation, record_matches on any update', () => {
    const g = givenBase();
    const created = rule({ type: 'record_created', table_id: 'tbl_inv' });
    const matches = rule({ type: 'record_matches', table_id: 'tbl_inv' });
    const index = new RuleIndex([created, matches]);
    const table = () => g.ctx.table('tbl_inv');
    const e = givenInvestor(g, 'rec_1', { fld_name: 'Yale' });
    expect(index.candidates(e, table, NOW)).toEqual([created, matches]);
    const [update] = whenSet(g, 'rec_1', 'fld_amount', null, 5);
    expect(index.candidates(update, table, NOW)).toEqual([matches]);
  });

  it('never leaves out a rule that fires: every rule triggerFires accepts is a candidate', () => {
    const g = givenBase();
    const rules = [
      stageTo('Passed'),
      stageTo('Engaged'),
      rule({ type: 'record_updated', table_id: 'tbl_inv' }),
      rule({ type: 'record_created', table_id: 'tbl_inv' }),
      rule({ type: 'record_matches', table_id: 'tbl_inv' }),
    ];
    const index = new RuleIndex(rules);
    const table = () => g.ctx.table('tbl_inv');
    const events = [
      givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Lead' }),
      ...whenSet(g, 'rec_1', 'fld_stage', 'Lead', 'Engaged'),
      ...whenSet(g, 'rec_1', 'fld_stage', 'Engaged', 'Passed'),
      ...whenSet(g, 'rec_1', 'fld_amount', null, 7),
    ];
    for (const e of events) {
      const firing = rules.filter((r) =>
        triggerFires(r, e, g.ctx.record('rec_1'), table()!, { now: NOW }),
      );
      const candidates = index.candidates(e, table, NOW);
      for (const r of firing) expect(candidates).toContain(r);
    }
  });
});
