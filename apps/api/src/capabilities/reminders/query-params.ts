import { invalid, readerTimeZone } from '@crm/domain';
import type { ReminderStatus } from '@crm/events';
import type { Actor } from '../../infrastructure/request-context/actor';
import type { ReminderFilter } from './reminders.queries';

const STATUSES: readonly ReminderStatus[] = ['open', 'done', 'snoozed', 'cancelled'];
const DUES = ['overdue', 'today', 'week'] as const;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

function oneOf<T extends string>(raw: string | undefined, allowed: readonly T[], field: string) {
  if (raw === undefined || raw === '') return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw invalid(`${field} must be one of ${allowed.join(', ')}`, { field, given: raw, allowed });
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw invalid('limit must be a whole number from 1 to 1000', { field: 'limit', given: raw });
  return n;
}

function cursorOf(raw: string | undefined): ReminderFilter['before'] {
  if (raw === undefined || raw === '') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})~([A-Za-z0-9_]{1,64})$/.exec(raw);
  if (!m)
    throw invalid('before must be a next_before of an earlier page', {
      field: 'before',
      given: raw,
    });
  return { due_on: m[1], id: m[2] };
}

/**
 * `GET /api/reminders`' query as a filter; `assignee=me` is the caller, `tz` the reader's zone the
 * due dates are read in (the fund's without one).
 */
export function reminderFilterOf(
  q: Record<string, string | undefined>,
  actor: Actor,
): ReminderFilter {
  const assignee = q.assignee === 'me' ? actor.id : q.assignee || undefined;
  return {
    assignee_id: assignee,
    status: oneOf(q.status, STATUSES, 'status'),
    due: oneOf(q.due, DUES, 'due'),
    record_id: q.record_id || undefined,
    limit: limitOf(q.limit),
    before: cursorOf(q.before),
    time_zone: readerTimeZone(q.tz),
  };
}

export function idempotencyKeyOf(key: string | undefined): string | undefined {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
    throw invalid('Idempotency-Key must be 8 to 128 letters, digits or . _ : -', {
      field: 'Idempotency-Key',
    });
  return key;
}
