import { Backtest } from './backtest';
import { decideAddField } from '../table/decide/add-field.decide';
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
    // Yale, put in Follow-up at the first occurrence, is there at the second: nothing to add.
    expect(result).toMatchObject({ runs: 3, total_effects: 2 });
    expect(result.effects.map((e) => [e.record_id, e.at])).toEqual([
      ['rec_1', from],
      ['rec_2', new Date(later).toISOString()],
    ]);
  });

  it('given a rule moving records between lists, a later step sees the lists it moved them into', () => {
    const g = givenBase();
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Lead' });
    const from = g.now;
    const rule = (list: string, when: string, op: 'add' | 'move') => ({
      name: `${when} → ${list}`,
      trigger: {
        type: 'record_updated' as const,
        table_id: 'tbl_inv',
        fields: ['fld_stage'],
        to: { operator: 'is', value: when },
      },
      conditions: null,
      actions: [{ type: 'set_membership' as const, list, op }],
    });
    whenSet(g, 'rec_1', 'fld_stage', 'Lead', 'Engaged');
    whenSet(g, 'rec_1', 'fld_stage', 'Engaged', 'Lead');
    whenSet(g, 'rec_1', 'fld_stage', 'Lead', 'Engaged');
    // Engaged twice: the second time Yale is already in Follow-up (the rule put it there).
    const test = new Backtest(rule('follow_up', 'Engaged', 'add'), from);
    test.feed(g.store.readAll());
    expect(test.result()).toMatchObject({ runs: 2, total_effects: 1 });
  });

  it('given conditions on a list, a schedule rule sees what its earlier occurrences moved', () => {
    const g = givenBase();
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Engaged' });
    const from = g.now;
    const t0 = Date.parse(from);
    const day = 86_400_000;
    // Daily: a record not in Follow-up goes into it; one in Follow-up goes on to Longshot.
    const rule = (conditions: unknown, list: string) => ({
      name: list,
      trigger: {
        type: 'schedule' as const,
        table_id: 'tbl_inv',
        every: 'day' as const,
        at: '07:00',
        time_zone: 'UTC',
      },
      conditions: conditions as never,
      actions: [{ type: 'set_membership' as const, list, op: 'move' as const }],
    });
    const inFollowUp = {
      conjunction: 'and',
      conditions: [{ field_id: 'lists', operator: 'in_list', value: 'follow_up' }],
    };
    const test = new Backtest(rule(inFollowUp, 'longshot'), from, [t0, t0 + day]);
    test.feed(g.store.readAll());
    // Nobody in Follow-up in the history: nothing at either occurrence.
    expect(test.result()).toMatchObject({ runs: 0 });

    const notIn = {
      ...inFollowUp,
      conditions: [{ ...inFollowUp.conditions[0], operator: 'not_in_list' }],
    };
    const twice = new Backtest(rule(notIn, 'follow_up'), from, [t0, t0 + day, t0 + 2 * day]);
    twice.feed(g.store.readAll());
    // Moved in at the first occurrence, Yale no longer meets the conditions at the next ones.
    expect(twice.result()).toMatchObject({ runs: 1, total_effects: 1 });
  });

  it('given a rule reading a formula field, reads its value at each step instead of empty', () => {
    const g = givenBase();
    g.apply((ctx) =>
      decideAddField(
        {
          table_id: 'tbl_inv',
          field: {
            id: 'fld_big',
            name: 'Big',
            type: 'formula',
            options: { formula: 'IF({Amount} >= 1000000, "big", "small")' },
          },
        },
        ctx,
      ),
    );
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Lead', fld_amount: 5_000_000 });
    givenInvestor(g, 'rec_2', { fld_name: 'Acme', fld_stage: 'Lead', fld_amount: 10_000 });
    const from = g.now;
    whenSet(g, 'rec_1', 'fld_stage', 'Lead', 'Passed');
    whenSet(g, 'rec_2', 'fld_stage', 'Lead', 'Passed');
    const test = new Backtest(
      {
        ...passed,
        conditions: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_big', operator: 'is', value: 'big' }],
        },
      },
      from,
    );
    test.feed(g.store.readAll());
    const result = test.result();
    expect(result).toMatchObject({ runs: 1, total_effects: 1 });
    expect(result.effects[0].record_id).toBe('rec_1');
  });

  it('given a formula reading {Lists}, reads the lists the rule moved the record into', () => {
    const g = givenBase();
    g.apply((ctx) =>
      decideAddField(
        {
          table_id: 'tbl_inv',
          field: {
            id: 'fld_fu',
            name: 'Follow up?',
            type: 'formula',
            options: { formula: 'IF(FIND("follow_up", {Lists}), "yes", "no")' },
          },
        },
        ctx,
      ),
    );
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Engaged' });
    const from = g.now;
    const t0 = Date.parse(from);
    const day = 86_400_000;
    // Daily: an investor whose formula says "yes" goes on to Longshot; one saying "no" to Follow-up.
    const rule = (value: string, list: string) => ({
      name: list,
      trigger: {
        type: 'schedule' as const,
        table_id: 'tbl_inv',
        every: 'day' as const,
        at: '07:00',
        time_zone: 'UTC',
      },
      conditions: {
        conjunction: 'and',
        conditions: [{ field_id: 'fld_fu', operator: 'is', value }],
      },
      actions: [{ type: 'set_membership' as const, list, op: 'add' as const }],
    });
    const no = new Backtest(rule('no', 'follow_up'), from, [t0, t0 + day]);
    no.feed(g.store.readAll());
    // In Follow-up after the first occurrence, its formula says "yes" at the second.
    expect(no.result()).toMatchObject({ runs: 1, total_effects: 1 });
  });
});
