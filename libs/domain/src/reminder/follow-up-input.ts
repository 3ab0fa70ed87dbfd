import { INTERACTION_KINDS, type InteractionKind } from '@crm/events';
import { invalid } from '../errors';
import { FOLLOW_UP_ROLES, type FollowUpContext, type FollowUpTarget } from './reminder.state';

/** Longest reminder title, and longest note or interaction summary (in code points). */
export const REMINDER_TITLE_MAX = 500;
export const FOLLOW_UP_TEXT_MAX = 20_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toISOString().slice(0, 10) === value;
}

/** The date `days` after `date` (both `YYYY-MM-DD`, counted in whole calendar days). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function requireDate(value: unknown, field: string): string {
  if (value === undefined || value === null || value === '')
    throw invalid(`${field}: a date (YYYY-MM-DD) is required`, { field }, 'missing_value');
  if (!isCalendarDate(value))
    throw invalid(
      `${field}: ${JSON.stringify(value)?.slice(0, 40)} is not a date (YYYY-MM-DD)`,
      { field, given: value },
      'not_a_date',
    );
  return value;
}

/** Text of 1 to `max` code points (or 0 when `optional`), without NUL. */
export function requireText(value: unknown, field: string, max: number, optional = false): string {
  if (optional && (value === undefined || value === null)) return '';
  if (typeof value !== 'string')
    throw invalid(`${field}: text is required`, { field, given: value ?? null }, 'missing_value');
  const text = optional ? value : value.trim();
  if (!optional && text === '')
    throw invalid(`${field}: must not be empty`, { field }, 'missing_value');
  if (text.includes('\u0000'))
    throw invalid(`${field}: must not hold a NUL character`, { field }, 'nul_character');
  const length = [...text].length;
  if (length > max)
    throw invalid(
      `${field}: at most ${max.toLocaleString('en-US')} characters (got ${length.toLocaleString('en-US')})`,
      { field, max, length },
      'too_large',
    );
  return text;
}

export function requireKind(value: unknown): InteractionKind {
  if (typeof value === 'string' && (INTERACTION_KINDS as readonly string[]).includes(value))
    return value as InteractionKind;
  throw invalid(
    `kind: must be one of ${INTERACTION_KINDS.join(', ')}`,
    { field: 'kind', given: value ?? null, allowed: INTERACTION_KINDS },
    'unknown_kind',
  );
}

/** A live investor or contact. */
export function requireTarget(ctx: FollowUpContext, recordId: unknown): FollowUpTarget {
  if (typeof recordId !== 'string' || recordId === '')
    throw invalid('record_id: a record id is required', { field: 'record_id' }, 'missing_value');
  const target = ctx.target(recordId);
  if (!target)
    throw invalid(
      `record_id: no record ${recordId}`,
      { field: 'record_id', given: recordId },
      'not_found',
    );
  if (!target.table_role || !FOLLOW_UP_ROLES.includes(target.table_role))
    throw invalid(
      'record_id: reminders and interactions are for investors and contacts',
      { field: 'record_id', given: recordId, table_id: target.table_id },
      'wrong_table',
    );
  if (target.archived)
    throw invalid(
      `record_id: ${recordId} is archived`,
      { field: 'record_id', given: recordId },
      'record_archived',
    );
  return target;
}

/** A member of the team who can sign in. */
export function requireAssignee(ctx: FollowUpContext, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw invalid('assignee_id: a user id is required', { field: 'assignee_id' }, 'missing_value');
  const member = ctx.member(value);
  if (!member)
    throw invalid(
      `assignee_id: ${value} is not a member of the team`,
      { field: 'assignee_id', given: value },
      'unknown_user',
    );
  if (member.disabled)
    throw invalid(
      `assignee_id: ${value} is disabled`,
      { field: 'assignee_id', given: value },
      'user_disabled',
    );
  return value;
}
