import { defaultFundraisingBase } from '../fundraising/default-base';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { givenBase, rulesContext } from '../testing/given-automation';
import { eventsOf, Given } from '../testing/given-when-then';
import { decideCreateRule } from './decide/rule-commands.decide';
import { shippedRules } from './shipped-rules';

function givenDefaultBase(): Given {
  let n = 0;
  const g = Given.empty();
  for (const t of defaultFundraisingBase((prefix) => `${prefix}_${++n}`).tables)
    g.apply((ctx) => decideCreateTable(t, ctx));
  return g;
}

describe('shippedRules', () => {
  it('given the default base, both rules are created switched off, on its investors’ fields', () => {
    const g = givenDefaultBase();
    const investors = [...g.state.tables.values()].find((t) => t.role === 'investors')!;
    const roleOf = (id: unknown) => investors.fields.find((f) => f.id === id)?.role;
    const created = shippedRules([...g.state.tables.values()]).map((input, i) =>
      eventsOf(decideCreateRule({ rule_id: `aut_${i}`, input }, rulesContext(g))),
    );
    expect(
      created.map((events) => events.map((e) => [e.type, e.data.name, e.data.enabled])),
    ).toEqual([
      [['AutomationRuleCreated', 'No contact in 30 days → follow-up', false]],
      [['AutomationRuleCreated', 'Passed → graveyard', false]],
    ]);
    const [noContact, passed] = created.map(([e]) => e.data as Record<string, never>);
    expect(noContact.trigger).toMatchObject({
      type: 'schedule',
      table_id: investors.id,
      every: 'day',
    });
    expect(roleOf(noContact.conditions['conditions'][0]['field_id'])).toBe(
      'investor.last_contacted',
    );
    expect(noContact.actions).toEqual([{ type: 'set_membership', list: 'follow_up', op: 'add' }]);
    expect(roleOf(passed.trigger['fields'][0])).toBe('investor.stage');
    expect(passed.actions).toEqual([{ type: 'set_membership', list: 'graveyard', op: 'move' }]);
  });

  it('given a base without the investors’ roles, ships nothing', () => {
    expect(shippedRules([...givenBase().state.tables.values()])).toEqual([]);
  });
});
