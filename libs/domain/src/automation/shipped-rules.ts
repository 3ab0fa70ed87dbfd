import { TABLE_ROLES } from '../fundraising/default-base';
import type { TableState } from '../table/table.state';

/**
 * The rules a new base ships with, the fund's two habits from its old system, both off: moving an
 * investor into a list is never automatic until the fund turns a rule on. Rule inputs, as the
 * create-rule command takes them; none when the base has no investors table with these fields.
 */
export function shippedRules(tables: readonly TableState[]): Record<string, unknown>[] {
  const investors = tables.find((t) => t.role === TABLE_ROLES.investors);
  const field = (role: string) => investors?.fields.find((f) => f.role === role)?.id;
  const stage = field('investor.stage');
  const lastContacted = field('investor.last_contacted');
  if (!investors || !stage || !lastContacted) return [];
  return [
    {
      name: 'No contact in 30 days → follow-up',
      trigger: {
        type: 'schedule',
        table_id: investors.id,
        every: 'day',
        at: '08:00',
        time_zone: 'UTC',
      },
      conditions: {
        conjunction: 'and',
        conditions: [{ field_id: lastContacted, operator: 'more_than_days_ago', value: 30 }],
      },
      actions: [{ type: 'set_membership', list: 'follow_up', op: 'add' }],
      enabled: false,
    },
    {
      name: 'Passed → graveyard',
      trigger: {
        type: 'record_updated',
        table_id: investors.id,
        fields: [stage],
        to: { operator: 'is', value: 'Passed' },
      },
      conditions: null,
      actions: [{ type: 'set_membership', list: 'graveyard', op: 'move' }],
      enabled: false,
    },
  ];
}
