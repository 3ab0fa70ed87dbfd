import { type AutomationAction } from '@crm/events';
import { givenBase, givenInvestor, whenSet } from '../testing/given-automation';
import { type RuleState } from './automation.state';
import { decideSetMembership } from './decide/set-membership.decide';
import { planActions } from './run-plan';
import { triggerFires } from './trigger-match';

const NOW = Date.parse('2026-03-15T12:00:00.000Z');
const rule = (over: Partial<RuleState>): RuleState => ({
  id: 'aut_1',
  name: 'rule',
  version: 1,
  stream_version: 1,
  enabled: true,
  archived: false,
  trigger: { type: 'record_created', table_id: 'tbl_inv' },
  conditions: null,
  actions: [],
  ...over,
});

function fires(r: RuleState, g: ReturnType<typeof givenBase>, e: ReturnType<typeof givenInvestor>) {
  const ctx = g.ctx;
  const id = (e.data as { record_id: string }).record_id;
  return triggerFires(r, e, ctx.record(id), ctx.table('tbl_inv')!, { now: NOW });
}

describe('triggers', () => {
  it('record_created fires on a new record of its table that meets the conditions', () => {
    const g = givenBase();
    const e = givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Lead' });
    expect(fires(rule({}), g, e)).toBe(true);
    const onlyEngaged = {
      conjunction: 'and',
      conditions: [{ field_id: 'fld_stage', operator: 'is', value: 'Engaged' }],
    };
    expect(fires(rule({ conditions: onlyEngaged }), g, e)).toBe(false);
    expect(fires(rule({ trigger: { type: 'record_created', table_id: 'tbl_fund' } }), g, e)).toBe(
      false,
    );
  });

  describe('record_updated', () => {
    const stageTo = (value: string): RuleState['trigger'] => ({
      type: 'record_updated',
      table_id: 'tbl_inv',
      fields: ['fld_stage'],
      to: { operator: 'is', value },
    });

    it('fires when a named field really changed to a value meeting `to`', () => {
      const g = givenBase();
      givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Engaged' });
      const [e] = whenSet(g, 'rec_1', 'fld_stage', 'Engaged', 'Passed');
      expect(fires(rule({ trigger: stageTo('Passed') }), g, e)).toBe(true);
      expect(fires(rule({ trigger: stageTo('Lead') }), g, e)).toBe(false);
    });

    it('never fires on a change of another field, nor on a write that changes nothing', () => {
      const g = givenBase();
      givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_stage: 'Passed' });
      const [other] = whenSet(g, 'rec_1', 'fld_name', 'Yale', 'Yale University');
      expect(fires(rule({ trigger: stageTo('Passed') }), g, other)).toBe(false);
      // A no-op write appends nothing at all; an event whose change holds the same value is no change.
      expect(whenSet(g, 'rec_1', 'fld_stage', 'Passed', 'Passed')).toEqual([]);
      const noop = {
        ...other,
        data: {
          table_id: 'tbl_inv',
          record_id: 'rec_1',
          changes: [{ field_id: 'fld_stage', from: 'Passed', to: 'Passed' }],
        },
      };
      expect(fires(rule({ trigger: stageTo('Passed') }), g, noop)).toBe(false);
    });

    it('without fields fires on a real change of any field', () => {
      const g = givenBase();
      givenInvestor(g, 'rec_1', { fld_name: 'Yale' });
      const [e] = whenSet(g, 'rec_1', 'fld_amount', null, 5);
      expect(fires(rule({ trigger: { type: 'record_updated', table_id: 'tbl_inv' } }), g, e)).toBe(
        true,
      );
    });
  });

  it('record_matches fires when a record starts to meet the conditions, not while it keeps meeting them', () => {
    const g = givenBase();
    const stale = {
      conjunction: 'and',
      conditions: [{ field_id: 'fld_contacted', operator: 'more_than_days_ago', value: 30 }],
    };
    const r = rule({ trigger: { type: 'record_matches', table_id: 'tbl_inv' }, conditions: stale });
    const created = givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_contacted: '2026-03-10' });
    expect(fires(r, g, created)).toBe(false);
    const [starts] = whenSet(g, 'rec_1', 'fld_contacted', '2026-03-10', '2026-01-02');
    expect(fires(r, g, starts)).toBe(true);
    const [still] = whenSet(g, 'rec_1', 'fld_contacted', '2026-01-02', '2026-01-01');
    expect(fires(r, g, still)).toBe(false);
  });

  it('never fires for an archived record', () => {
    const g = givenBase();
    const e = givenInvestor(g, 'rec_1', { fld_name: 'Yale' });
    const record = { ...g.ctx.record('rec_1')!, archived: true };
    expect(triggerFires(rule({}), e, record, g.ctx.table('tbl_inv')!, { now: NOW })).toBe(false);
  });
});

describe('actions', () => {
  it('plans each action on the record in order; set_field compares against the value the rule saw', () => {
    const g = givenBase();
    givenInvestor(g, 'rec_1', { fld_name: 'Yale', fld_amount: 5 });
    const actions: AutomationAction[] = [
      { type: 'set_membership', list: 'follow_up', op: 'add' },
      { type: 'set_field', field_id: 'fld_amount', value: 10 },
      { type: 'set_field', field_id: 'fld_name', value: 'Yale' },
      { type: 'log_note', text: 'moved to follow-up' },
    ];
    expect(planActions(actions, g.ctx.record('rec_1')!, g.ctx.table('tbl_inv')!)).toEqual([
      { kind: 'membership', record_id: 'rec_1', list: 'follow_up', op: 'add' },
      { kind: 'cell', record_id: 'rec_1', field_id: 'fld_amount', from: 5, to: 10 },
      { kind: 'note', record_id: 'rec_1', text: 'moved to follow-up' },
    ]);
  });

  describe('set_membership', () => {
    const ctx = (lists: string[], version = lists.length) => ({
      membership: () => ({ lists: new Set(lists), version }),
      isList: (n: string) => ['main', 'follow_up', 'graveyard', 'longshot', 'all'].includes(n),
    });
    const cmd = { record_id: 'rec_1', table_id: 'tbl_inv', rule_id: 'aut_1', run_id: 'run_1' };

    it('move leaves every other list and joins this one', () => {
      const d = decideSetMembership(
        { ...cmd, list: 'graveyard', op: 'move' },
        ctx(['main', 'longshot']),
      );
      expect(d.appends).toEqual([
        {
          stream_id: 'membership-rec_1',
          expected_version: 2,
          events: [
            { type: 'MembershipRemoved', data: { ...cmd, list: 'longshot' } },
            { type: 'MembershipRemoved', data: { ...cmd, list: 'main' } },
            { type: 'MembershipAdded', data: { ...cmd, list: 'graveyard' } },
          ],
        },
      ]);
      expect([d.from, d.to]).toEqual([['longshot', 'main'], ['graveyard']]);
    });

    it('add and remove change one list, and nothing when it is already so', () => {
      expect(
        decideSetMembership({ ...cmd, list: 'main', op: 'add' }, ctx(['main'])).appends,
      ).toEqual([]);
      expect(decideSetMembership({ ...cmd, list: 'main', op: 'remove' }, ctx([])).appends).toEqual(
        [],
      );
      const d = decideSetMembership(
        { ...cmd, list: 'main', op: 'remove' },
        ctx(['main', 'longshot']),
      );
      expect(d.to).toEqual(['longshot']);
    });
  });
});
