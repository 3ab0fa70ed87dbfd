import { Backtest } from './backtest';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideAddField } from '../table/decide/add-field.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { type Given } from '../testing/given-when-then';
import { givenBase, givenInvestor, whenSet } from '../testing/given-automation';

/** Commitments (an amount) linked from investors, and a rollup "Committed" summing them. */
function givenCommitments(g: Given): void {
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_com',
        name: 'Commitments',
        fields: [
          { id: 'fld_cname', name: 'Name', type: 'text' },
          { id: 'fld_camt', name: 'Amount', type: 'number' },
        ],
      },
      ctx,
    ),
  );
  const add = (field: { id: string; name: string; type: string; options: object }) =>
    g.apply((ctx) => decideAddField({ table_id: 'tbl_inv', field }, ctx));
  add({ id: 'fld_coms', name: 'Commitments', type: 'link', options: { table_id: 'tbl_com' } });
  add({
    id: 'fld_committed',
    name: 'Committed',
    type: 'rollup',
    options: {
      link_field_id: 'fld_coms',
      target_field_id: 'fld_camt',
      formula: 'SUM(values)',
      result_type: 'number',
    },
  });
}

function givenCommitment(g: Given, id: string, amount: number): void {
  g.apply((ctx) =>
    decideChanges(
      {
        changes: [
          { op: 'create', table_id: 'tbl_com', record_id: id, values: { fld_camt: amount } },
        ],
        at: g.now,
        actor_id: 'usr_a',
      },
      ctx,
    ),
  );
}

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

  it('given a rule on a rollup, reads the linked records as they were at each step, not as they are now', () => {
    const g = givenBase();
    givenCommitments(g);
    givenCommitment(g, 'rec_c1', 2_000_000);
    givenCommitment(g, 'rec_c2', 0);
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Lead', fld_coms: ['rec_c1'] });
    givenInvestor(g, 'rec_2', { fld_name: 'Acme', fld_stage: 'Lead', fld_coms: ['rec_c2'] });
    const from = g.now;
    // Yale passes while its commitment is 2M; Acme while its is 0.
    whenSet(g, 'rec_1', 'fld_stage', 'Lead', 'Passed');
    whenSet(g, 'rec_2', 'fld_stage', 'Lead', 'Passed');
    // Since then the amounts swapped: read as they are now, the rule would pick Acme.
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            { op: 'set', record_id: 'rec_c1', field_id: 'fld_camt', from: 2_000_000, to: 0 },
            { op: 'set', record_id: 'rec_c2', field_id: 'fld_camt', from: 0, to: 3_000_000 },
          ],
          at: g.now,
          actor_id: 'usr_a',
        },
        ctx,
      ),
    );
    const big = {
      ...passed,
      conditions: {
        conjunction: 'and',
        conditions: [{ field_id: 'fld_committed', operator: '>=', value: 1_000_000 }],
      },
    };
    const test = new Backtest(big, from);
    test.feed(g.store.readAll());
    const result = test.result();
    expect(result).toMatchObject({ runs: 1, total_effects: 1 });
    expect(result.effects.map((e) => e.record_id)).toEqual(['rec_1']);
  });

  it('given a schedule rule on a count, each occurrence counts the links as they were then', () => {
    const g = givenBase();
    givenCommitments(g);
    g.apply((ctx) =>
      decideAddField(
        {
          table_id: 'tbl_inv',
          field: {
            id: 'fld_n',
            name: 'Commitment count',
            type: 'count',
            options: { link_field_id: 'fld_coms', result_type: 'number' },
          },
        },
        ctx,
      ),
    );
    givenCommitment(g, 'rec_c1', 100);
    const from = g.now;
    const t0 = Date.parse(from);
    // Events are a second apart: the investor at t0, its link to the commitment at t0 + 1 s.
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Lead' });
    whenSet(g, 'rec_1', 'fld_coms', null, ['rec_c1']);
    const rule = {
      name: 'No commitment yet → follow-up',
      trigger: {
        type: 'schedule' as const,
        table_id: 'tbl_inv',
        every: 'hour' as const,
        at: '00:00',
        time_zone: 'UTC',
      },
      conditions: {
        conjunction: 'and',
        conditions: [{ field_id: 'fld_n', operator: '=', value: 0 }],
      },
      actions: [{ type: 'log_note' as const, text: 'no commitment yet' }],
    };
    // Between the two the count is 0; after the link it is 1.
    const test = new Backtest(rule, from, [t0 + 500, t0 + 1500]);
    test.feed(g.store.readAll());
    const result = test.result();
    expect(result).toMatchObject({ runs: 1 });
    expect(result.effects[0].at).toBe(new Date(t0 + 500).toISOString());
  });
});
