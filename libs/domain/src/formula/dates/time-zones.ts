/**
 * Wall-clock parts of an instant in a time zone, through Intl (present in Node and every browser),
 * so that the server and the browser agree. Formatters are cached per zone.
 */

export interface DateParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** Minutes east of UTC. */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    if (formatters.size > 200) formatters.clear();
    formatters.set(tz, f);
  }
  return f;
}

const validity = new Map<string, string | null>();

/** The zone's canonical name, or null when it is not an IANA zone this runtime knows. */
export function canonicalTimeZone(tz: string): string | null {
  if (validity.has(tz)) return validity.get(tz)!;
  let out: string | null = null;
  if (typeof tz === 'string' && tz.length > 0 && tz.length < 64) {
    try {
      out = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    } catch {
      out = null;
    }
  }
  if (validity.size > 500) validity.clear();
  validity.set(tz, out);
  return out;
}

const isUtc = (tz: string | null | undefined) =>
  !tz || tz === 'UTC' || tz === 'Etc/UTC' || tz === 'GMT';

/** Minutes east of UTC of the zone at the instant. */
export function zoneOffset(tz: string | null | undefined, ms: number): number {
  if (isUtc(tz)) return 0;
  const parts = formatterFor(tz!).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const asUtc = Date.UTC(
    year,
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((asUtc - whole) / 60_000);
}

export function partsOf(ms: number, tz?: string | null): DateParts {
  const offset = zoneOffset(tz, ms);
  const d = new Date(ms + offset * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    offset,
  };
}

/** The instant at which the zone's clock shows these wall-clock parts. */
export function fromWallClock(
  p: {
    year: number;
    month: number;
    day: number;
    hour?: number;
    minute?: number;
    second?: number;
    millisecond?: number;
  },
  tz?: string | null,
): number {
  const wall = utcMs(
    p.year,
    p.month - 1,
    p.day,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
    p.millisecond ?? 0,
  );
  if (isUtc(tz)) return wall;
  const first = wall - zoneOffset(tz, wall) * 60_000;
  // Around a DST change the offset at the guess can differ from the offset at the answer.
  return wall - zoneOffset(tz, first) * 60_000;
}

/** Date.UTC that also takes years 0–99 literally and lets months, days and hours overflow. */
export function utcMs(
  year: number,
  monthIndex: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}
