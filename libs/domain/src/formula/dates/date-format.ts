import { type FDate } from '../types';
import { dayOfYear, isoWeek, weekNumber } from './date-math';
import { isEnglish, namesFor } from './locale-names';
import { type DateParts, partsOf } from './time-zones';

/** A date as text when it meets text: ISO 8601 in UTC, as Airtable shows it. */
export const formatIso = (d: FDate): string => isoOf(d.ms);

const isoCache = new Map<number, string>();

/** ISO 8601 text of an instant. Cached: a table's dates repeat (days), and this runs once per record. */
export function isoOf(ms: number): string {
  const hit = isoCache.get(ms);
  if (hit !== undefined) return hit;
  const d = new Date(ms);
  const iso = Number.isNaN(d.getTime()) ? '' : d.toISOString();
  if (isoCache.size >= 2048) isoCache.clear();
  isoCache.set(ms, iso);
  return iso;
}

const TOKEN =
  /\[([^\]]*)\]|LTS|LT|LLLL|LLL|LL|L|llll|lll|ll|l|YYYYYY|YYYY|YY|Y|Qo|Q|MMMM|MMM|Mo|MM|M|DDDD|DDDo|DDD|Do|DD|D|dddd|ddd|dd|do|d|E|e|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|X|x|ZZ|Z|zz|z|GGGG|GG|gggg|gg|WW|Wo|W|ww|wo|w/g;

const EN_LONG: Record<string, string> = {
  LT: 'h:mm A',
  LTS: 'h:mm:ss A',
  L: 'MM/DD/YYYY',
  LL: 'MMMM D, YYYY',
  LLL: 'MMMM D, YYYY h:mm A',
  LLLL: 'dddd, MMMM D, YYYY h:mm A',
  l: 'M/D/YYYY',
  ll: 'MMM D, YYYY',
  lll: 'MMM D, YYYY h:mm A',
  llll: 'ddd, MMM D, YYYY h:mm A',
};

const pad = (n: number, w: number) => {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? `-${s}` : s;
};

export function ordinal(n: number): string {
  const b = n % 10;
  const t = n % 100;
  const suffix =
    t >= 11 && t <= 13 ? 'th' : b === 1 ? 'st' : b === 2 ? 'nd' : b === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function offsetText(min: number, colon: boolean): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60), 2)}${colon ? ':' : ''}${pad(a % 60, 2)}`;
}

/** Localised long formats (L, LL, LT…) outside English, from Intl. */
function intlLong(token: string, d: FDate): string {
  const o: Record<string, Intl.DateTimeFormatOptions> = {
    LT: { hour: 'numeric', minute: '2-digit' },
    LTS: { hour: 'numeric', minute: '2-digit', second: '2-digit' },
    L: { year: 'numeric', month: '2-digit', day: '2-digit' },
    l: { year: 'numeric', month: 'numeric', day: 'numeric' },
    LL: { year: 'numeric', month: 'long', day: 'numeric' },
    ll: { year: 'numeric', month: 'short', day: 'numeric' },
    LLL: { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' },
    lll: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
    LLLL: {
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    },
    llll: {
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    },
  };
  return new Intl.DateTimeFormat(d.locale!, { ...o[token], timeZone: d.tz ?? 'UTC' }).format(
    new Date(d.ms),
  );
}

/**
 * DATETIME_FORMAT with moment.js's format tokens (Airtable's), in the date's time zone (UTC unless
 * SET_TIMEZONE gave one) and locale (English unless SET_LOCALE gave one). Text in [brackets] is literal.
 */
export function formatDate(d: FDate, format: string): string {
  const p = partsOf(d.ms, d.tz);
  const names = namesFor(d.locale);
  const english = isEnglish(d.locale);
  return format.replace(TOKEN, (token: string, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    if (token in EN_LONG) return english ? formatDate(d, EN_LONG[token]) : intlLong(token, d);
    return tokenValue(token, p, d, names);
  });
}

function tokenValue(
  token: string,
  p: DateParts,
  d: FDate,
  names: ReturnType<typeof namesFor>,
): string {
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  switch (token) {
    case 'YYYYYY':
      return (p.year < 0 ? '-' : '+') + pad(Math.abs(p.year), 6);
    case 'YYYY':
      return pad(p.year, 4);
    case 'YY':
      return pad(((p.year % 100) + 100) % 100, 2);
    case 'Y':
      return String(p.year);
    case 'Q':
      return String(Math.ceil(p.month / 3));
    case 'Qo':
      return ordinal(Math.ceil(p.month / 3));
    case 'MMMM':
      return names.months[p.month - 1];
    case 'MMM':
      return names.monthsShort[p.month - 1];
    case 'MM':
      return pad(p.month, 2);
    case 'Mo':
      return ordinal(p.month);
    case 'M':
      return String(p.month);
    case 'DDDD':
      return pad(dayOfYear(p), 3);
    case 'DDDo':
      return ordinal(dayOfYear(p));
    case 'DDD':
      return String(dayOfYear(p));
    case 'DD':
      return pad(p.day, 2);
    case 'Do':
      return ordinal(p.day);
    case 'D':
      return String(p.day);
    case 'dddd':
      return names.weekdays[p.weekday];
    case 'ddd':
      return names.weekdaysShort[p.weekday];
    case 'dd':
      return names.weekdaysMin[p.weekday];
    case 'do':
      return ordinal(p.weekday);
    case 'd':
    case 'e':
      return String(p.weekday);
    case 'E':
      return String(p.weekday === 0 ? 7 : p.weekday);
    case 'HH':
      return pad(p.hour, 2);
    case 'H':
      return String(p.hour);
    case 'hh':
      return pad(h12, 2);
    case 'h':
      return String(h12);
    case 'kk':
      return pad(p.hour === 0 ? 24 : p.hour, 2);
    case 'k':
      return String(p.hour === 0 ? 24 : p.hour);
    case 'mm':
      return pad(p.minute, 2);
    case 'm':
      return String(p.minute);
    case 'ss':
      return pad(p.second, 2);
    case 's':
      return String(p.second);
    case 'SSS':
      return pad(p.millisecond, 3);
    case 'SS':
      return pad(Math.floor(p.millisecond / 10), 2);
    case 'S':
      return String(Math.floor(p.millisecond / 100));
    case 'A':
      return p.hour < 12 ? 'AM' : 'PM';
    case 'a':
      return p.hour < 12 ? 'am' : 'pm';
    case 'X':
      return String(Math.floor(d.ms / 1000));
    case 'x':
      return String(d.ms);
    case 'ZZ':
      return offsetText(p.offset, false);
    case 'Z':
      return offsetText(p.offset, true);
    case 'zz':
    case 'z':
      return d.tz ?? 'UTC';
    case 'WW':
      return pad(isoWeek(p).week, 2);
    case 'Wo':
      return ordinal(isoWeek(p).week);
    case 'W':
      return String(isoWeek(p).week);
    case 'GGGG':
      return pad(isoWeek(p).year, 4);
    case 'GG':
      return pad(isoWeek(p).year % 100, 2);
    case 'ww':
      return pad(weekNumber(p), 2);
    case 'wo':
      return ordinal(weekNumber(p));
    case 'w':
      return String(weekNumber(p));
    case 'gggg':
      return pad(p.year, 4);
    case 'gg':
      return pad(p.year % 100, 2);
    default:
      return token;
  }
}
