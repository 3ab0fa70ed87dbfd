import { type FollowUpSettingsData } from '@crm/events';
import { localDateKey } from '../backup/zoned-time';
import { fromWallClock } from '../formula/dates/time-zones';
import { addDays } from './follow-up-input';

/**
 * The derived follow-up values of an investor or contact. The log gives dates (the last interaction,
 * reminders' due dates); a projection cannot see a day pass, so what depends on "today" is worked
 * out at read from those dates and the clock: a record turns aging on `last contacted + aging_days`
 * and stale on `+ stale_days`, both calendar days in the fund's time zone, so a DST day is a day.
 */
/** The zone's calendar days count for "due today", "last contacted on" and the thresholds. */
export type FollowUpSettings = FollowUpSettingsData;

export const DEFAULT_FOLLOW_UP_SETTINGS: FollowUpSettings = {
  aging_days: 30,
  stale_days: 60,
  time_zone: 'UTC',
};

export type Staleness = '' | 'aging' | 'stale';
export type ReminderStatusValue = 'overdue' | 'due_soon' | 'open' | 'none';

/** Days ahead that make an open reminder "due soon" (today included). */
export const DUE_SOON_DAYS = 7;

/** The fund's calendar date of an instant. */
export const localDate = (instant: string, s: FollowUpSettings): string =>
  localDateKey(Date.parse(instant), s.time_zone);

/** The dates a record last contacted on `date` turns aging and stale. */
export function stalenessDates(
  lastContactedOn: string,
  s: FollowUpSettings,
): { aging_on: string; stale_on: string } {
  return {
    aging_on: addDays(lastContactedOn, s.aging_days),
    stale_on: addDays(lastContactedOn, s.stale_days),
  };
}

/** Never contacted is not stale: nobody has started, which the reminder status shows. */
export function stalenessOn(
  lastContactedOn: string | null,
  today: string,
  s: FollowUpSettings,
): Staleness {
  if (lastContactedOn === null) return '';
  const { aging_on, stale_on } = stalenessDates(lastContactedOn, s);
  return today >= stale_on ? 'stale' : today >= aging_on ? 'aging' : '';
}

/** The most pressing of a record's open reminders (by the date each is due, a snooze's end for a snoozed one). */
export function reminderStatusOn(dueDates: readonly string[], today: string): ReminderStatusValue {
  if (dueDates.length === 0) return 'none';
  const first = dueDates.reduce((a, b) => (b < a ? b : a));
  if (first < today) return 'overdue';
  return first <= addDays(today, DUE_SOON_DAYS) ? 'due_soon' : 'open';
}

/** Whether a reminder (status, due date, snooze) counts as open on `today`: a snooze ends on its date. */
export function effectiveStatus(
  r: { status: string; snoozed_until: string | null },
  today: string,
): string {
  return r.status === 'snoozed' && r.snoozed_until !== null && r.snoozed_until <= today
    ? 'open'
    : r.status;
}

/** The instant the fund's calendar day `date` starts. */
export function startOfDay(date: string, s: FollowUpSettings): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(fromWallClock({ year, month, day }, s.time_zone)).toISOString();
}

/**
 * The instants before which a last contact makes a record aging and stale on `today`: a query
 * compares the stored instant with these, so "Staleness = stale" is a range over an index.
 */
export function stalenessCutoffs(
  today: string,
  s: FollowUpSettings,
): { aging_before: string; stale_before: string } {
  return {
    aging_before: startOfDay(addDays(today, 1 - s.aging_days), s),
    stale_before: startOfDay(addDays(today, 1 - s.stale_days), s),
  };
}
