import { followUpStreams, type InteractionLoggedData } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, invalid } from '../../errors';
import {
  FOLLOW_UP_TEXT_MAX,
  isCalendarDate,
  requireKind,
  requireTarget,
  requireText,
} from '../follow-up-input';
import { type FollowUpContext } from '../reminder.state';
import { reminderCreated } from './create-reminder.decide';

export interface LogInteraction {
  interaction_id: string;
  /** The id its next step's reminder gets, if it has one. */
  reminder_id: string;
  record_id: unknown;
  contact_id?: unknown;
  kind: unknown;
  /** Absent: `now`. */
  occurred_at?: unknown;
  summary: unknown;
  next_step?: unknown;
  actor_id: string;
  /** The command's time (UTC, ISO 8601). */
  now: string;
}

/** One day ahead of the server's clock is the most a time zone can explain. */
const FUTURE_SLACK_MS = 86_400_000;

/** A date, or a date and time with its zone (`Z` or an offset): a time without one is anyone's guess. */
const ISO_MOMENT =
  /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

function occurredAt(raw: unknown, now: string): string {
  if (raw === undefined || raw === null) return now;
  const shape = typeof raw === 'string' ? ISO_MOMENT.exec(raw) : null;
  // The engine's parser reads 30 February as 2 March and "March 1" as a date: checked first.
  const ms = shape && isCalendarDate(shape[1]) ? Date.parse(raw as string) : NaN;
  if (!Number.isFinite(ms))
    throw invalid(
      'occurred_at: must be a date (YYYY-MM-DD) or a date and time with its zone (ISO 8601)',
      { field: 'occurred_at', given: raw },
      'not_a_date',
    );
  if (ms > Date.parse(now) + FUTURE_SLACK_MS)
    throw invalid(
      'occurred_at: an interaction that has not happened yet is a reminder',
      { field: 'occurred_at', given: raw },
      'invalid_value',
    );
  return new Date(ms).toISOString();
}

function contactOf(cmd: LogInteraction, ctx: FollowUpContext): string | null {
  if (cmd.contact_id === undefined || cmd.contact_id === null) return null;
  const contact = typeof cmd.contact_id === 'string' ? ctx.target(cmd.contact_id) : undefined;
  if (!contact || contact.table_role !== 'contacts' || contact.archived)
    throw invalid(
      'contact_id: must name a live contact',
      { field: 'contact_id', given: cmd.contact_id },
      'wrong_table',
    );
  return contact.record_id;
}

/** A call, meeting, email or note with an investor or contact; its next step, a reminder, in the same batch. */
export function decideLogInteraction(cmd: LogInteraction, ctx: FollowUpContext): Decision {
  const target = requireTarget(ctx, cmd.record_id);
  const data: InteractionLoggedData = {
    interaction_id: cmd.interaction_id,
    record_id: target.record_id,
    table_id: target.table_id,
    contact_id: contactOf(cmd, ctx),
    kind: requireKind(cmd.kind),
    occurred_at: occurredAt(cmd.occurred_at, cmd.now),
    summary: requireText(cmd.summary, 'summary', FOLLOW_UP_TEXT_MAX),
  };
  const b = new DecisionBuilder();
  b.emitNew(followUpStreams.interaction(target.record_id, cmd.interaction_id), {
    type: 'InteractionLogged',
    data,
  });
  if (cmd.next_step !== undefined && cmd.next_step !== null) {
    if (typeof cmd.next_step !== 'object' || Array.isArray(cmd.next_step))
      throw invalid(
        'next_step: must be {title, due_date}',
        { field: 'next_step' },
        'not_an_object',
      );
    const step = cmd.next_step as Record<string, unknown>;
    const reminder = prefixed('next_step', () =>
      reminderCreated(
        {
          reminder_id: cmd.reminder_id,
          record_id: target.record_id,
          title: step.title,
          due_date: step.due_date,
          assignee_id: step.assignee_id,
          source: 'interaction',
          interaction_id: cmd.interaction_id,
          actor_id: cmd.actor_id,
        },
        ctx,
        target,
      ),
    );
    b.emitNew(followUpStreams.reminder(target.record_id, cmd.reminder_id), {
      type: 'ReminderCreated',
      data: reminder,
    });
  }
  return b.build();
}

/** A next step's refusal names its field inside `next_step` (`next_step.due_date`). */
function prefixed<T>(prefix: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (!(e instanceof DomainError) || typeof e.details.field !== 'string') throw e;
    throw new DomainError(
      e.code,
      `${prefix}.${e.message}`,
      { ...e.details, field: `${prefix}.${e.details.field}` },
      e.reason,
    );
  }
}
