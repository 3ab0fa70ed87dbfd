import {
  followUpStreams,
  type NewEvent,
  type ReminderCancelledData,
  type ReminderStatus,
} from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, illegal, invalid, notFound } from '../../errors';
import { requireDate } from '../follow-up-input';
import { type FollowUpContext, type ReminderState } from '../reminder.state';

/** Who asks: their id and role decide what they may do to someone else's reminder. */
export interface ReminderActor {
  id: string;
  role: 'admin' | 'member' | 'system';
}

export interface ReminderCommand {
  reminder_id: string;
  actor: ReminderActor;
}

/** A reminder that exists and is not deleted. */
export function requireReminder(ctx: FollowUpContext, reminderId: string): ReminderState {
  const r = ctx.reminder(reminderId);
  if (!r || r.deleted)
    throw notFound(`no reminder ${reminderId}`, { field: 'id', given: reminderId });
  return r;
}

/**
 * A small trusted team: anyone edits, completes, snoozes or reopens any reminder; cancelling or
 * deleting a reminder that is someone else's (neither assigned to nor made by the person) is for
 * admins, and for the system (a record's archive).
 */
function requireMayEnd(r: ReminderState, actor: ReminderActor, what: string): void {
  if (actor.role !== 'member' || r.assignee_id === actor.id || r.created_by === actor.id) return;
  throw new DomainError(
    'forbidden',
    `only an admin can ${what} a reminder of someone else's (assigned to ${r.assignee_id})`,
    { field: 'id', given: r.id, assignee_id: r.assignee_id },
  );
}

function decided(r: ReminderState, event: NewEvent | null): Decision {
  const b = new DecisionBuilder();
  if (event) b.emit(followUpStreams.reminder(r.record_id, r.id), r.version, event);
  return b.build();
}

const statusData = (r: ReminderState) => ({
  reminder_id: r.id,
  record_id: r.record_id,
  from: r.status,
});

function refuseFrom(r: ReminderState, what: string, statuses: ReminderStatus[]): void {
  if (statuses.includes(r.status))
    throw illegal(`a ${r.status} reminder cannot be ${what}`, {
      field: 'id',
      given: r.id,
      status: r.status,
    });
}

/** Done; done again changes nothing. */
export function decideCompleteReminder(cmd: ReminderCommand, ctx: FollowUpContext): Decision {
  const r = requireReminder(ctx, cmd.reminder_id);
  refuseFrom(r, 'marked done', ['cancelled']);
  if (r.status === 'done') return decided(r, null);
  return decided(r, { type: 'ReminderDone', data: statusData(r) });
}

/** Out of the lists until `until` (a date after `today`), when it is due again. */
export function decideSnoozeReminder(
  cmd: ReminderCommand & { until: unknown; today: string },
  ctx: FollowUpContext,
): Decision {
  const until = requireDate(cmd.until, 'until');
  if (until <= cmd.today)
    throw invalid(
      `until: ${until} is not after today (${cmd.today})`,
      { field: 'until', given: until, today: cmd.today },
      'date_in_the_past',
    );
  const r = requireReminder(ctx, cmd.reminder_id);
  refuseFrom(r, 'snoozed', ['done', 'cancelled']);
  if (r.status === 'snoozed' && r.snoozed_until === until) return decided(r, null);
  return decided(r, { type: 'ReminderSnoozed', data: { ...statusData(r), until } });
}

/** Cancelled by a person, or by the system (its record archived, its rule's run rolled back). */
export function decideCancelReminder(
  cmd: ReminderCommand & { reason: ReminderCancelledData['reason'] },
  ctx: FollowUpContext,
): Decision {
  const r = requireReminder(ctx, cmd.reminder_id);
  requireMayEnd(r, cmd.actor, 'cancel');
  refuseFrom(r, 'cancelled', ['done']);
  if (r.status === 'cancelled') return decided(r, null);
  return decided(r, {
    type: 'ReminderCancelled',
    data: { ...statusData(r), reason: cmd.reason },
  });
}

/** Open again (after done, cancelled or a snooze), on a live record. */
export function decideReopenReminder(cmd: ReminderCommand, ctx: FollowUpContext): Decision {
  const r = requireReminder(ctx, cmd.reminder_id);
  if (r.status === 'open') return decided(r, null);
  const target = ctx.target(r.record_id);
  if (!target || target.archived)
    throw illegal(
      `the reminder's record ${r.record_id} is archived: bring it back first`,
      { field: 'id', given: r.id, record_id: r.record_id },
      'record_archived',
    );
  return decided(r, { type: 'ReminderReopened', data: statusData(r) });
}

/** Soft delete: the events stay in the record's history. */
export function decideDeleteReminder(cmd: ReminderCommand, ctx: FollowUpContext): Decision {
  const r = requireReminder(ctx, cmd.reminder_id);
  requireMayEnd(r, cmd.actor, 'delete');
  return decided(r, { type: 'ReminderDeleted', data: statusData(r) });
}
