import { DateTime } from 'luxon';

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * When a job runs. `minutes` counts absolute time (occurrences at whole multiples of it since the
 * epoch, in UTC), so a DST change neither skips nor doubles one; `hour` runs once an hour of
 * absolute time, at the minute past the hour of the zone's clock (":15" in Kolkata is :45 in UTC);
 * `day` and `week` are wall-clock times in the schedule's zone.
 */
export type ScheduleRule =
  | { every: 'minutes'; minutes: number }
  | { every: 'hour'; minute: number }
  | { every: 'day'; at: string }
  | { every: 'week'; on: Weekday; at: string };

export interface Schedule {
  rule: ScheduleRule;
  /** An IANA zone name such as `Europe/Zurich`. */
  zone: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * "every 15 minutes", "every day at 07:30", "every week on Monday at 08:00" (24-hour times).
 * Throws with the reason when the text is none of these.
 */
export function parseRule(text: string): ScheduleRule {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let m = /^every (\d{1,4}) minutes?$/.exec(t);
  if (m) return checkedRule({ every: 'minutes', minutes: Number(m[1]) });
  m = /^every day at (\S+)$/.exec(t);
  if (m) return checkedRule({ every: 'day', at: m[1] });
  m = /^every week on (\S+) at (\S+)$/.exec(t);
  if (m) return checkedRule({ every: 'week', on: m[1] as Weekday, at: m[2] });
  throw new Error(
    `"${text}" is not a schedule: write "every N minutes", "every day at HH:MM" or "every week on <weekday> at HH:MM"`,
  );
}

/** The rule itself when it is well formed; else throws naming what is wrong. */
export function checkedRule(rule: ScheduleRule): ScheduleRule {
  if (rule.every === 'minutes') {
    if (!Number.isInteger(rule.minutes) || rule.minutes < 1 || (24 * 60) % rule.minutes !== 0)
      throw new Error(
        `every ${rule.minutes} minutes: the minutes must divide a day (1, 5, 15, 60…)`,
      );
    return rule;
  }
  if (rule.every === 'hour') {
    if (!Number.isInteger(rule.minute) || rule.minute < 0 || rule.minute > 59)
      throw new Error(`minute ${rule.minute} past the hour: a whole number from 0 to 59`);
    return rule;
  }
  if (!TIME.test(rule.at)) throw new Error(`"${rule.at}" is not a time of day (HH:MM, 24-hour)`);
  if (rule.every === 'week' && !WEEKDAYS.includes(rule.on))
    throw new Error(`"${String(rule.on)}" is not a weekday`);
  return rule;
}

export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** The latest occurrence at or before `nowMs` (UTC milliseconds). */
export function latestOccurrence(schedule: Schedule, nowMs: number): number {
  const { rule, zone } = schedule;
  if (rule.every === 'minutes') {
    const step = rule.minutes * MINUTE_MS;
    return Math.floor(nowMs / step) * step;
  }
  if (rule.every === 'hour') {
    const hour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    for (let back = 0; back <= 2; back++) {
      const slot = hourSlot(hour - back * HOUR_MS, rule.minute, zone);
      if (slot <= nowMs) return slot;
    }
    throw new Error('unreachable: an occurrence within two hours is always in the past');
  }
  const today = DateTime.fromMillis(nowMs, { zone }).startOf('day');
  for (let back = 0; back <= 8; back++) {
    const slot = slotOn(today.minus({ days: back }), rule);
    if (slot !== null && slot <= nowMs) return slot;
  }
  throw new Error('unreachable: an occurrence within eight days is always in the past');
}

/** The first occurrence after `nowMs`. */
export function nextOccurrence(schedule: Schedule, nowMs: number): number {
  const { rule, zone } = schedule;
  if (rule.every === 'minutes') {
    const step = rule.minutes * MINUTE_MS;
    return (Math.floor(nowMs / step) + 1) * step;
  }
  if (rule.every === 'hour') {
    const hour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    for (let ahead = 0; ahead <= 2; ahead++) {
      const slot = hourSlot(hour + ahead * HOUR_MS, rule.minute, zone);
      if (slot > nowMs) return slot;
    }
    throw new Error('unreachable: an occurrence within two hours is always in the future');
  }
  const today = DateTime.fromMillis(nowMs, { zone }).startOf('day');
  for (let ahead = 0; ahead <= 8; ahead++) {
    const slot = slotOn(today.plus({ days: ahead }), rule);
    if (slot !== null && slot > nowMs) return slot;
  }
  throw new Error('unreachable: an occurrence within eight days is always in the future');
}

/**
 * The instant in the UTC hour starting at `hourStart` whose minute on the zone's clock is `minute`.
 * Offsets of whole hours keep it at the same UTC minute through a DST change, so a change of the
 * clock neither skips nor doubles an hour's run.
 */
function hourSlot(hourStart: number, minute: number, zone: string): number {
  const offset = DateTime.fromMillis(hourStart, { zone }).offset;
  return hourStart + ((((minute - offset) % 60) + 60) % 60) * MINUTE_MS;
}

/** The rule's instant on a local date, or null when it does not run that day. */
function slotOn(day: DateTime, rule: Extract<ScheduleRule, { at: string }>): number | null {
  if (rule.every === 'week' && WEEKDAYS[day.weekday - 1] !== rule.on) return null;
  const [hour, minute] = rule.at.split(':').map(Number);
  return wallClockInstant(day, hour, minute);
}

/**
 * The instant a wall-clock time has on a local date. A time skipped by a spring-forward change
 * (02:30 when clocks jump from 02:00 to 03:00) is the shifted one (03:30); a time that happens
 * twice on a fall-back day is its first happening. Either way a day has exactly one.
 */
export function wallClockInstant(day: DateTime, hour: number, minute: number): number {
  const wall = day.set({ hour, minute, second: 0, millisecond: 0 });
  const instant = wall.toMillis();
  // Luxon takes the later of two equal wall times; an hour (or half) earlier may show the same.
  for (const earlierMinutes of [60, 30]) {
    const earlier = DateTime.fromMillis(instant - earlierMinutes * MINUTE_MS, { zone: day.zone });
    if (earlier.hour === hour && earlier.minute === minute && earlier.day === wall.day)
      return earlier.toMillis();
  }
  return instant;
}
