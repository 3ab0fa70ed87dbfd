import { followUpStreams, type ReminderFields } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import {
  FOLLOW_UP_TEXT_MAX,
  REMINDER_TITLE_MAX,
  requireAssignee,
  requireDate,
  requireText,
} from '../follow-up-input';
import { type FollowUpContext } from '../reminder.state';
import { type ReminderCommand, requireReminder } from './reminder-status.decide';

export interface ChangeReminder extends ReminderCommand {
  input: Partial<Record<keyof ReminderFields, unknown>>;
}

const CHECKS: { [K in keyof ReminderFields]: (v: unknown, ctx: FollowUpContext) => string } = {
  title: (v) => requireText(v, 'title', REMINDER_TITLE_MAX),
  due_date: (v) => requireDate(v, 'due_date'),
  assignee_id: (v, ctx) => requireAssignee(ctx, v),
  note: (v) => requireText(v ?? '', 'note', FOLLOW_UP_TEXT_MAX, true),
};

/** A change of its title, due date, assignee or note, with each field's value before and after. */
export function decideChangeReminder(cmd: ChangeReminder, ctx: FollowUpContext): Decision {
  const r = requireReminder(ctx, cmd.reminder_id);
  const from: Partial<ReminderFields> = {};
  const to: Partial<ReminderFields> = {};
  const keys = (Object.keys(CHECKS) as (keyof ReminderFields)[]).filter(
    (k) => cmd.input[k] !== undefined,
  );
  if (keys.length === 0 && Object.keys(cmd.input).length === 0)
    throw invalid(
      'nothing to change: send title, due_date, assignee_id or note',
      { field: 'body' },
      'missing_value',
    );
  for (const k of keys) {
    const value = CHECKS[k](cmd.input[k], ctx);
    if (value === r[k]) continue;
    from[k] = r[k];
    to[k] = value;
  }
  const b = new DecisionBuilder();
  if (Object.keys(to).length)
    b.emit(followUpStreams.reminder(r.record_id, r.id), r.version, {
      type: 'ReminderChanged',
      data: { reminder_id: r.id, record_id: r.record_id, from, to },
    });
  return b.build();
}
