import { type AutomationDefinition, type AutomationEffect } from '@crm/events';
import { type ViewEvalContext } from '../filter/view-rows';
import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { decideSetMembership, type MembershipContext } from './decide/set-membership.decide';
import { planActions, reminderEffect } from './run-plan';
import { matchingRecords } from './trigger-match';

/** Effects a dry run lists at most; the total is counted over all of them. */
export const DRY_RUN_SHOWN = 100;

export interface DryRunResult {
  matches: number;
  effects: AutomationEffect[];
  total_effects: number;
}

/**
 * The records a run would act on now: those meeting the conditions and, for "changed to" triggers,
 * whose field holds that value already (as it would right after the change).
 */
function conditionsNow(
  rule: Pick<AutomationDefinition, 'conditions' | 'trigger'>,
): Record<string, unknown> | null {
  const t = rule.trigger;
  if (t.type !== 'record_updated' || !t.to || !t.fields?.length) return rule.conditions;
  const to = { field_id: t.fields[0], operator: t.to.operator, value: t.to.value };
  return { conjunction: 'and', conditions: rule.conditions ? [rule.conditions, to] : [to] };
}

/**
 * What the rule would change right now if it ran on every record meeting its conditions: the same
 * plan a run makes, over the state as it is, writing nothing.
 */
export function dryRun(
  rule: Pick<AutomationDefinition, 'conditions' | 'actions' | 'trigger'>,
  table: TableState,
  records: Iterable<RecordState>,
  lists: MembershipContext,
  ctx: ViewEvalContext,
): DryRunResult {
  const matching = matchingRecords({ conditions: conditionsNow(rule) }, table, records, ctx);
  const effects: AutomationEffect[] = [];
  let total = 0;
  const keep = (e: AutomationEffect) => {
    total++;
    if (effects.length < DRY_RUN_SHOWN) effects.push(e);
  };
  for (const record of matching) {
    let membership = lists.membership(record.id);
    for (const step of planActions(rule.actions, record, table)) {
      if (step.kind === 'cell')
        keep({
          record_id: record.id,
          what: `field ${step.field_id}`,
          from: step.from,
          to: step.to,
        });
      else if (step.kind === 'note')
        keep({ record_id: record.id, what: 'note', from: null, to: step.text });
      else if (step.kind === 'reminder') keep(reminderEffect(step));
      else {
        const d = decideSetMembership(
          { ...step, table_id: table.id, rule_id: null, run_id: null },
          { ...lists, membership: () => membership },
        );
        if (d.from.join() === d.to.join()) continue;
        keep({
          record_id: record.id,
          what: `lists (${step.op} ${step.list})`,
          from: d.from,
          to: d.to,
        });
        membership = { lists: new Set(d.to), version: membership.version + 1 };
      }
    }
  }
  return { matches: matching.length, effects, total_effects: total };
}
