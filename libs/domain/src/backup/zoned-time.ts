/**
 * Local calendar keys of an instant in an IANA time zone (for the backup retention's days, weeks and
 * months, and the drill's Sunday). When the nightly job runs is the scheduler's (a zoned rule).
 */
import { partsOf } from '../formula/dates/time-zones';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The local date and time of an instant (the zone arithmetic is the formula engine's, shared). */
export function localDateTime(instantMs: number, zone: string): LocalDateTime {
  const p = partsOf(instantMs, zone);
  return {
    year: p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
  };
}

/** `YYYY-MM-DD` of the instant in the zone. */
export function localDateKey(instantMs: number, zone: string): string {
  const l = localDateTime(instantMs, zone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/** ISO-8601 week of the instant's local date, as `YYYY-Www` (weeks start on Monday; week 1 holds the first Thursday). */
export function localWeekKey(instantMs: number, zone: string): string {
  const l = localDateTime(instantMs, zone);
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const week = Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** `YYYY-MM` of the instant in the zone. */
export function localMonthKey(instantMs: number, zone: string): string {
  return localDateKey(instantMs, zone).slice(0, 7);
}

/** 0 = Sunday … 6 = Saturday, of the instant's local date. */
export function localWeekday(instantMs: number, zone: string): number {
  const l = localDateTime(instantMs, zone);
  return new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
}
