import { fieldByRole, localDate } from '@crm/domain';
import type { FundraisingCommands } from '../fundraising/index';
import type { CommandScope } from '../../infrastructure/commands/command-executor';
import type { ReminderCommands } from './reminder.commands';

/**
 * The investor's "Last contacted" date follows its latest interaction (in the fund's calendar), in
 * the same batch as what moved it: a plain date field, so views sort and filter on it ("more than
 * 60 days ago" is Staleness = stale) and the date typed before is in the record's history. Only
 * ever moved later, as a compare-and-set of the value read, so an edit of the cell in between is
 * kept; an archived record is left as it is.
 */
export async function touchLastContacted(
  reminders: ReminderCommands,
  fundraising: FundraisingCommands,
  scope: CommandScope,
  recordId: string,
  occurredAt: string,
): Promise<void> {
  const record = reminders.base.record(recordId);
  const table = record && reminders.base.table(record.table_id);
  const field = table && fieldByRole(table, 'investor.last_contacted');
  if (!record || record.archived || !field || field.type !== 'date') return;
  const on = localDate(occurredAt, reminders.repo.settings().settings);
  const current = record.values[field.id] ?? null;
  if (typeof current === 'string' && current >= on) return;
  await fundraising.applyChanges(
    [{ op: 'set', record_id: recordId, field_id: field.id, from: current, to: on }],
    scope.meta,
  );
}
