import { invalid } from '../errors';
import { canonicalTimeZone, zoneOffset } from '../formula/dates/time-zones';

/**
 * The time zone a reader's dates are read in ("today", "this week", days since), as a request
 * names it (`tz`, an IANA zone such as Europe/Zurich); none named is UTC, as before. A zone this
 * runtime does not know is refused naming the parameter, never read as UTC.
 */
export function readerTimeZone(raw: unknown, field = 'tz'): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const zone = typeof raw === 'string' ? canonicalTimeZone(raw) : null;
  if (!zone)
    throw invalid(
      `${field}: an IANA time zone such as Europe/Zurich or America/New_York`,
      { field, given: raw },
      'unknown_time_zone',
    );
  return zone;
}

/** The reader's calendar day (days since the epoch) at `now`, in their zone (UTC without one). */
export const readerDay = (now: number, timeZone?: string | null): number =>
  Math.floor((now + zoneOffset(timeZone, now) * 60_000) / 86_400_000);
