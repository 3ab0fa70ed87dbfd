import { Backtest } from './backtest';
import { givenBase, givenInvestor, whenSet } from '../testing/given-automation';

const passed = {
  name: 'Passed → graveyard',
  trigger: {
    type: 'record_updated' as const,
    table_id: 'tbl_inv',
    fields: ['fld_stage'],
    to: { operator: 'is', value: 'Passed' },
  },
  conditions: null,
  actions: [{ type: 'set_membership' as const, list: 'graveyard', op: 'move' as const }],
};

describe('Backtest', () => {
  it('given a history, answers the runs and effects the rule would have made since a moment', () => {
    const g = givenBase();
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Engaged' });
    givenInvestor(g, 'rec_2', { fld_name: 'Acme', fld_stage: 'Engaged' });
    whenSet(g, 'rec_1', 'fld_stage', 'Engaged', 'Passed');
    const from = g.now;
    whenSet(g, 'rec_2', 'fld_stage', 'Engaged', 'Passed');
    whenSet(g, 'rec_2', 'fld_name', 'Acme', 'Acme LP');
    const test = new Backtest(passed, from);
    test.feed(g.store.readAll());
    const result = test.result();
    expect(result).toMatchObject({
      from,
      runs: 1,
      total_effects: 1,
      by_date: [{ date: from.slice(0, 10), runs: 1, effects: 1 }],
    });
    expect(result.effects).toEqual([
      {
        record_id: 'rec_2',
        what: 'lists (move graveyard)',
        from: [],
        to: ['graveyard'],
        at: expect.any(String),
      },
    ]);
  });

  it('given a schedule rule, runs each occurrence over the records meeting the conditions then', () => {
    const g = givenBase();
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Engaged' });
    givenInvestor(g, 'rec_2', { fld_name: 'Acme', fld_stage: 'Lead' });
    const from = g.now;
    whenSet(g, 'rec_2', 'fld_stage', 'Lead', 'Engaged');
    const later = Date.parse(g.now) + 3_600_000;
    const engaged = {
      name: 'Engaged → follow-up, daily',
      trigger: {
        type: 'schedule' as const,
        table_id: 'tbl_inv',
        every: 'day' as const,
        at: '07:00',
        time_zone: 'UTC',
      },
      conditions: {
        conjunction: 'and',
        conditions: [{ field_id: 'fld_stage', operator: 'is', value: 'Engaged' }],
      },
      actions: [{ type: 'set_membership' as const, list: 'follow_up', op: 'add' as const }],
    };
    // One occurrence before Acme became engaged, one after.
    const test = new Backtest(engaged, from, [Date.parse(from), later]);
    test.feed(g.store.readAll());
    const result = test.result();
    expect(result).toMatchObject({ runs: 3, total_effects: 3 });
    expect(result.effects.map((e) => [e.record_id, e.at])).toEqual([
      ['rec_1', from],
      ['rec_1', new Date(later).toISOString()],
      ['rec_2', new Date(later).toISOString()],
    ]);
  });
});
