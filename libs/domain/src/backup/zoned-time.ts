/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl: the local date and time of an
 * instant, and the instant of a local date and time. DST-safe: a time that occurs twice (fall back)
 * is taken at its first occurrence; a time that does not exist (spring forward) is moved later by
 * the length of the gap, as cron does.
 */
import { partsOf, zoneOffset } from '../formula/dates/time-zones';

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

/** Milliseconds the zone is ahead of UTC at this instant. */
const offsetAt = (instantMs: number, zone: string): number => zoneOffset(zone, instantMs) * 60_000;

/** The instant at which the wall clock in `zone` shows this date and time. Day overflow (day 0, day 32) rolls over. */
export function instantOf(
  local: Omit<LocalDateTime, 'second'> & { second?: number },
  zone: string,
): number {
  const wall = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second ?? 0,
  );
  // Two candidates from the offsets just before and after; keep the earliest that shows this wall time.
  const candidates = [
    wall - offsetAt(wall - 86_400_000, zone),
    wall - offsetAt(wall + 86_400_000, zone),
    wall - offsetAt(wall, zone),
  ];
  const exact = candidates.filter((c) => wallMs(c, zone) === wall).sort((a, b) => a - b);
  if (exact.length) return exact[0];
  return Math.max(...candidates);
}

function wallMs(instantMs: number, zone: string): number {
  const l = localDateTime(instantMs, zone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
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
