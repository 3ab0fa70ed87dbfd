/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl: the local date and time of an
 * instant, and the instant of a local date and time. DST-safe: a time that occurs twice (fall back)
 * is taken at its first occurrence; a time that does not exist (spring forward) is moved later by
 * the length of the gap, as cron does.
 */

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function localDateTime(instantMs: number, zone: string): LocalDateTime {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) };
}

/** Milliseconds the zone is ahead of UTC at this instant. */
function offsetAt(instantMs: number, zone: string): number {
  const l = localDateTime(instantMs, zone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The instant at which the wall clock in `zone` shows this date and time. Day overflow (day 0, day 32) rolls over. */
export function instantOf(local: Omit<LocalDateTime, 'second'> & { second?: number }, zone: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  // Two candidates from the offsets just before and after; keep the earliest that shows this wall time.
  const candidates = [wall - offsetAt(wall - 86_400_000, zone), wall - offsetAt(wall + 86_400_000, zone), wall - offsetAt(wall, zone)];
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
