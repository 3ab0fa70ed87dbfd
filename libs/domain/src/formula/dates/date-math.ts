import { fromWallClock, partsOf, utcMs } from './time-zones';

export type DateUnit =
  'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

const SHORT: Record<string, DateUnit> = {
  ms: 'millisecond',
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  M: 'month',
  Q: 'quarter',
  y: 'year',
};
const LONG: DateUnit[] = [
  'millisecond',
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'quarter',
  'year',
];

/** Moment's unit names: the one-letter forms are case-sensitive (M months, m minutes); long forms are not and may be plural. */
export function normalizeUnit(raw: string): DateUnit | null {
  const t = raw.trim();
  if (SHORT[t]) return SHORT[t];
  const lower = t.toLowerCase();
  if (lower === 'ms') return 'millisecond';
  const single = lower.endsWith('s') ? lower.slice(0, -1) : lower;
  return (LONG as string[]).includes(single) ? (single as DateUnit) : null;
}

const FIXED: Partial<Record<DateUnit, number>> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

function daysInMonth(year: number, month1: number): number {
  return new Date(utcMs(year, month1, 0)).getUTCDate();
}

/** Adds whole months keeping the day of month, clamped to the month's last day (as moment does). */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(ty, tm + 1));
  return utcMs(
    ty,
    tm,
    day,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** DATEADD: days and longer units take whole numbers (moment rounds them); shorter units may be fractional. */
export function addToDate(ms: number, count: number, unit: DateUnit): number {
  switch (unit) {
    case 'month':
      return addMonths(ms, Math.round(count));
    case 'quarter':
      return addMonths(ms, Math.round(count) * 3);
    case 'year':
      return addMonths(ms, Math.round(count) * 12);
    case 'day':
    case 'week':
      return ms + Math.round(count) * FIXED[unit]!;
    default:
      return ms + count * FIXED[unit]!;
  }
}

/** moment's monthDiff: whole months plus the fraction of the month in between. */
function monthDiff(a: number, b: number): number {
  if (new Date(a).getUTCDate() < new Date(b).getUTCDate()) return -monthDiff(b, a);
  const da = new Date(a);
  const db = new Date(b);
  const whole =
    (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + (db.getUTCMonth() - da.getUTCMonth());
  const anchor = addMonths(a, whole);
  let adjust: number;
  if (b - anchor < 0) {
    const anchor2 = addMonths(a, whole - 1);
    adjust = (b - anchor) / (anchor - anchor2);
  } else {
    const anchor2 = addMonths(a, whole + 1);
    adjust = (b - anchor) / (anchor2 - anchor);
  }
  return -(whole + adjust) || 0;
}

const truncate = (n: number) => (n < 0 ? Math.ceil(n) || 0 : Math.floor(n));

/** DATETIME_DIFF(a, b, unit): a − b in whole units, truncated toward zero. */
export function diffDates(a: number, b: number, unit: DateUnit): number {
  switch (unit) {
    case 'month':
      return truncate(monthDiff(a, b));
    case 'quarter':
      return truncate(monthDiff(a, b) / 3);
    case 'year':
      return truncate(monthDiff(a, b) / 12);
    default:
      return truncate((a - b) / FIXED[unit]!);
  }
}

/** The start of the unit containing the instant, on the zone's wall clock (weeks start on Sunday). */
export function startOf(ms: number, unit: DateUnit, tz?: string | null): number {
  if (unit === 'millisecond') return ms;
  const p = partsOf(ms, tz);
  switch (unit) {
    case 'second':
      return fromWallClock({ ...p, millisecond: 0 }, tz);
    case 'minute':
      return fromWallClock({ ...p, second: 0, millisecond: 0 }, tz);
    case 'hour':
      return fromWallClock({ ...p, minute: 0, second: 0, millisecond: 0 }, tz);
    case 'day':
      return fromWallClock({ year: p.year, month: p.month, day: p.day }, tz);
    case 'week':
      return fromWallClock({ year: p.year, month: p.month, day: p.day - p.weekday }, tz);
    case 'month':
      return fromWallClock({ year: p.year, month: p.month, day: 1 }, tz);
    case 'quarter':
      return fromWallClock({ year: p.year, month: p.month - ((p.month - 1) % 3), day: 1 }, tz);
    case 'year':
      return fromWallClock({ year: p.year, month: 1, day: 1 }, tz);
  }
}

export function dayOfYear(p: { year: number; month: number; day: number }): number {
  return Math.round((utcMs(p.year, p.month - 1, p.day) - utcMs(p.year, 0, 1)) / 86_400_000) + 1;
}

/** ISO 8601 week number and week-year. */
export function isoWeek(p: { year: number; month: number; day: number; weekday: number }): {
  week: number;
  year: number;
} {
  const iso = p.weekday === 0 ? 7 : p.weekday;
  const thursday = utcMs(p.year, p.month - 1, p.day + 4 - iso);
  const ty = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - utcMs(ty, 0, 1)) / 604_800_000) + 1;
  return { week, year: ty };
}

/** WEEKNUM: weeks counted from the one holding 1 January, starting on Sunday (or Monday). */
export function weekNumber(
  p: { year: number; month: number; day: number; weekday: number },
  startMonday = false,
): number {
  const jan1 = new Date(utcMs(p.year, 0, 1)).getUTCDay();
  const offset = startMonday ? (jan1 + 6) % 7 : jan1;
  return Math.floor((dayOfYear(p) - 1 + offset) / 7) + 1;
}
