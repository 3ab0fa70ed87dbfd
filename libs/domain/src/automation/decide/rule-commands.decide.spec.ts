import { domainErrorOf } from '../../testing/domain-error-of';
import { eventsOf } from '../../testing/given-when-then';
import { givenBase, rulesContext } from '../../testing/given-automation';
import {
  decideArchiveRule,
  decideChangeRule,
  decideCreateRule,
  decideDisableFailingRule,
  decideToggleRule,
} from './rule-commands.decide';

const passed = {
  name: 'Passed → graveyard',
  trigger: {
    type: 'record_updated',
    table_id: 'tbl_inv',
    fields: ['fld_stage'],
    to: { operator: 'is', value: 'Passed' },
  },
  conditions: null,
  actions: [{ type: 'set_membership', list: 'graveyard', op: 'move' }],
};

function givenRule(enabled = true) {
  const g = givenBase();
  g.apply(() =>
    decideCreateRule({ rule_id: 'aut_1', input: { ...passed, enabled } }, rulesContext(g)),
  );
  return g;
}

describe('rule deciders', () => {
  it('creates a rule, disabled unless it says otherwise', () => {
    const g = givenBase();
    const d = decideCreateRule({ rule_id: 'aut_1', input: passed }, rulesContext(g));
    expect(d.appends[0]).toMatchObject({ stream_id: 'automation-aut_1', expected_version: 0 });
    expect(eventsOf(d)).toEqual([
      { type: 'AutomationRuleCreated', data: { rule_id: 'aut_1', ...passed, enabled: false } },
    ]);
  });

  it('makes a new version for a change of the definition, with the whole definition before and after', () => {
    const g = givenRule();
    const d = decideChangeRule({ rule_id: 'aut_1', input: { name: 'Renamed' } }, rulesContext(g));
    expect(eventsOf(d)).toEqual([
      {
        type: 'AutomationRuleChanged',
        data: { rule_id: 'aut_1', version: 2, from: passed, to: { ...passed, name: 'Renamed' } },
      },
    ]);
    g.apply(d);
    expect(rulesContext(g).rule('aut_1')).toMatchObject({ version: 2, name: 'Renamed' });
  });

  it('appends nothing for a change that changes nothing, or a toggle to the state it is in', () => {
    const g = givenRule();
    const ctx = rulesContext(g);
    expect(
      eventsOf(decideChangeRule({ rule_id: 'aut_1', input: { name: passed.name } }, ctx)),
    ).toEqual([]);
    expect(eventsOf(decideToggleRule({ rule_id: 'aut_1', enabled: true }, ctx))).toEqual([]);
  });

  it('toggles without a new version, archives keeping the history, and refuses a change after', () => {
    const g = givenRule();
    g.apply(decideToggleRule({ rule_id: 'aut_1', enabled: false }, rulesContext(g)));
    expect(rulesContext(g).rule('aut_1')).toMatchObject({ enabled: false, version: 1 });
    g.apply(decideArchiveRule({ rule_id: 'aut_1' }, rulesContext(g)));
    const e = domainErrorOf(() =>
      decideChangeRule({ rule_id: 'aut_1', input: { name: 'x' } }, rulesContext(g)),
    );
    expect(e.code).toBe('not_found');
  });

  it('is turned off by the system after failures in a row, once', () => {
    const g = givenRule();
    const d = decideDisableFailingRule(
      { rule_id: 'aut_1', failures: 5, error: 'boom' },
      rulesContext(g),
    );
    expect(eventsOf(d)).toEqual([
      { type: 'AutomationRuleDisabled', data: { rule_id: 'aut_1', failures: 5, error: 'boom' } },
    ]);
    g.apply(d);
    expect(
      eventsOf(
        decideDisableFailingRule({ rule_id: 'aut_1', failures: 6, error: 'boom' }, rulesContext(g)),
      ),
    ).toEqual([]);
  });

  it.each([
    ['trigger.type', 'unknown_trigger', { trigger: { type: 'on_moon', table_id: 'tbl_inv' } }],
    [
      'trigger.fields[0]',
      'field_of_another_table',
      { trigger: { ...passed.trigger, fields: ['fld_fund'] } },
    ],
    [
      'trigger.to',
      'invalid_value',
      { trigger: { ...passed.trigger, to: { operator: 'is', value: 'Maybe' } } },
    ],
    [
      'trigger.to',
      'invalid_value',
      { trigger: { ...passed.trigger, to: { operator: '>', value: 3 } } },
    ],
    [
      'trigger.at',
      'invalid_value',
      {
        trigger: {
          type: 'schedule',
          table_id: 'tbl_inv',
          every: 'day',
          at: '25:00',
          time_zone: 'UTC',
        },
      },
    ],
    [
      'trigger.time_zone',
      'unknown_time_zone',
      {
        trigger: {
          type: 'schedule',
          table_id: 'tbl_inv',
          every: 'day',
          at: '02:30',
          time_zone: 'Europe/Nowhere',
        },
      },
    ],
    [
      'trigger.weekday',
      'invalid_value',
      {
        trigger: {
          type: 'schedule',
          table_id: 'tbl_inv',
          every: 'week',
          at: '02:30',
          time_zone: 'UTC',
        },
      },
    ],
    ['actions[0].type', 'unknown_action', { actions: [{ type: 'send_fax' }] }],
    // Reminders are for investors and contacts (this table has no such role).
    [
      'actions[0].type',
      'wrong_table',
      { actions: [{ type: 'create_reminder', title: 'Call', due_in_days: 1, assignee: 'owner' }] },
    ],
    [
      'actions[0].value',
      'invalid_value',
      { actions: [{ type: 'set_field', field_id: 'fld_amount', value: 'lots' }] },
    ],
    [
      'actions[0].field_id',
      'field_of_another_table',
      { actions: [{ type: 'set_field', field_id: 'fld_fund', value: 'x' }] },
    ],
    [
      'actions[0].list',
      'unknown_list',
      { actions: [{ type: 'set_membership', list: 'vip', op: 'add' }] },
    ],
    [
      'actions[0].op',
      'invalid_value',
      { actions: [{ type: 'set_membership', list: 'main', op: 'swap' }] },
    ],
    [
      'actions',
      'too_many_actions',
      { actions: Array.from({ length: 21 }, () => ({ type: 'log_note', text: 'x' })) },
    ],
    ['name', 'too_large', { name: 'n'.repeat(201) }],
    [
      'conditions.conditions[0].operator',
      'invalid_value',
      {
        conditions: {
          conjunction: 'and',
          conditions: [{ field_id: 'fld_contacted', operator: 'contains', value: 'x' }],
        },
      },
    ],
  ])('refuses a bad %s (%s)', (field, reason, over) => {
    const g = givenBase();
    const e = domainErrorOf(() =>
      decideCreateRule({ rule_id: 'aut_1', input: { ...passed, ...over } }, rulesContext(g)),
    );
    expect({ code: e.code, reason: e.reason, field: e.details.field }).toEqual({
      code: 'validation',
      reason,
      field,
    });
  });

  it('takes "days since" conditions and a weekly schedule in a zone', () => {
    const g = givenBase();
    const input = {
      name: 'No contact in 30 days → follow-up',
      trigger: {
        type: 'schedule',
        table_id: 'tbl_inv',
        every: 'week',
        weekday: 1,
        at: '09:00',
        time_zone: 'Europe/Zurich',
      },
      conditions: {
        conjunction: 'and',
        conditions: [{ field_id: 'fld_contacted', operator: 'more_than_days_ago', value: 30 }],
      },
      actions: [{ type: 'set_membership', list: 'follow_up', op: 'add' }],
    };
    expect(
      eventsOf(decideCreateRule({ rule_id: 'aut_2', input }, rulesContext(g)))[0].data,
    ).toMatchObject(input);
  });
});
