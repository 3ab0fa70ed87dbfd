import { type RecordedEvent } from '@crm/events';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { Given } from './given-when-then';
import { evolveRule } from '../automation/automation.evolve';
import { BUILT_IN_LISTS, type RuleState } from '../automation/automation.state';
import { type RulesContext } from '../automation/decide/rule-commands.decide';

/** An investors table (name, stage, amount, last contacted) and a funds table, for the rule specs. */
export function givenBase(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_inv',
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          {
            id: 'fld_stage',
            name: 'Pipeline stage',
            type: 'single_select',
            options: { choices: [{ name: 'Lead' }, { name: 'Engaged' }, { name: 'Passed' }] },
          },
          { id: 'fld_amount', name: 'Amount', type: 'currency' },
          { id: 'fld_contacted', name: 'Last contacted', type: 'date' },
        ],
      },
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_fund',
        name: 'Funds',
        fields: [{ id: 'fld_fund', name: 'Name', type: 'text' }],
      },
      ctx,
    ),
  );
  return g;
}

/** Rules and the schema as the log holds them. */
export function rulesContext(g: Given): RulesContext {
  const rules = new Map<string, RuleState>();
  for (const e of g.store.readAll() as RecordedEvent[]) {
    const id = (e.data as { rule_id?: string }).rule_id;
    if (id && e.stream_id.startsWith('automation-') && !e.stream_id.startsWith('automation-run-'))
      rules.set(id, evolveRule(rules.get(id), e)!);
  }
  const ctx = g.ctx;
  return {
    rule: (id) => rules.get(id),
    table: (id) => ctx.table(id),
    tables: () => ctx.tables(),
    isList: (name) => (BUILT_IN_LISTS as readonly string[]).includes(name),
  };
}

/** Creates an investor, then sets cells: the events as the grid would log them. */
export function givenInvestor(
  g: Given,
  id: string,
  values: Record<string, unknown>,
): RecordedEvent {
  const [created] = g.apply((ctx) =>
    decideChanges(
      {
        changes: [{ op: 'create', table_id: 'tbl_inv', record_id: id, values }],
        at: g.now,
        actor_id: 'usr_a',
      },
      ctx,
    ),
  );
  return created;
}

export function whenSet(
  g: Given,
  id: string,
  field: string,
  from: unknown,
  to: unknown,
): RecordedEvent[] {
  return g.apply((ctx) =>
    decideChanges(
      {
        changes: [{ op: 'set', record_id: id, field_id: field, from, to }],
        at: g.now,
        actor_id: 'usr_a',
      },
      ctx,
    ),
  );
}
