import { followUpStreams, type ReminderCreatedData, type ReminderSource } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import {
  FOLLOW_UP_TEXT_MAX,
  REMINDER_TITLE_MAX,
  requireAssignee,
  requireDate,
  requireTarget,
  requireText,
} from '../follow-up-input';
import { type FollowUpContext, type FollowUpTarget } from '../reminder.state';

export interface CreateReminder {
  reminder_id: string;
  record_id: unknown;
  title: unknown;
  due_date: unknown;
  /** Absent: the record's Owner when they can sign in, else the author. */
  assignee_id?: unknown;
  note?: unknown;
  source: ReminderSource;
  interaction_id?: string | null;
  actor_id: string;
}

/** The Owner when the team still has them, else whoever asked. */
function defaultAssignee(target: FollowUpTarget, ctx: FollowUpContext, actorId: string): string {
  const owner = target.owner_id === null ? undefined : ctx.member(target.owner_id);
  return owner && !owner.disabled ? owner.id : actorId;
}

/** The reminder's first event, checked field by field (each refusal names its field). */
export function reminderCreated(
  cmd: CreateReminder,
  ctx: FollowUpContext,
  target = requireTarget(ctx, cmd.record_id),
): ReminderCreatedData {
  const title = requireText(cmd.title, 'title', REMINDER_TITLE_MAX);
  const due_date = requireDate(cmd.due_date, 'due_date');
  const assignee_id =
    cmd.assignee_id === undefined || cmd.assignee_id === null
      ? defaultAssignee(target, ctx, cmd.actor_id)
      : requireAssignee(ctx, cmd.assignee_id);
  const note = requireText(cmd.note, 'note', FOLLOW_UP_TEXT_MAX, true);
  return {
    reminder_id: cmd.reminder_id,
    record_id: target.record_id,
    table_id: target.table_id,
    title,
    due_date,
    assignee_id,
    note,
    source: cmd.source,
    interaction_id: cmd.interaction_id ?? null,
  };
}

/** A new reminder on a live investor or contact, on a stream of its own. */
export function decideCreateReminder(cmd: CreateReminder, ctx: FollowUpContext): Decision {
  const data = reminderCreated(cmd, ctx);
  const b = new DecisionBuilder();
  b.emitNew(followUpStreams.reminder(data.record_id, data.reminder_id), {
    type: 'ReminderCreated',
    data,
  });
  return b.build();
}
