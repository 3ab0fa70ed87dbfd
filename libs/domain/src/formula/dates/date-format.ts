import { type FDate } from '../types';
import { dayOfYear, isoWeek, weekNumber } from './date-math';
import { isEnglish, namesFor } from './locale-names';
import { type DateParts, partsOf } from './time-zones';

/** A date as text when it meets text: ISO 8601 in UTC, as Airtable shows it. */
export const formatIso = (d: FDate): string => isoOf(d.ms);

const isoCache = new Map<number, string>();

/**
 * ISO 8601 text of an instant. Cached: a table's dates repeat (days), and this runs once per record;
 * without it the formulas bench's evaluator (bench/formulas-views.bench.js) took about 25% longer.
 */
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

type Names = ReturnType<typeof namesFor>;
type TokenFormatter = (p: DateParts, d: FDate, names: Names) => string;

const hour12 = (p: DateParts) => (p.hour % 12 === 0 ? 12 : p.hour % 12);

/** What each moment.js token shows. */
const TOKEN_VALUES: Record<string, TokenFormatter> = {
  YYYYYY: (p) => (p.year < 0 ? '-' : '+') + pad(Math.abs(p.year), 6),
  YYYY: (p) => pad(p.year, 4),
  YY: (p) => pad(((p.year % 100) + 100) % 100, 2),
  Y: (p) => String(p.year),
  Q: (p) => String(Math.ceil(p.month / 3)),
  Qo: (p) => ordinal(Math.ceil(p.month / 3)),
  MMMM: (p, _d, names) => names.months[p.month - 1],
  MMM: (p, _d, names) => names.monthsShort[p.month - 1],
  MM: (p) => pad(p.month, 2),
  Mo: (p) => ordinal(p.month),
  M: (p) => String(p.month),
  DDDD: (p) => pad(dayOfYear(p), 3),
  DDDo: (p) => ordinal(dayOfYear(p)),
  DDD: (p) => String(dayOfYear(p)),
  DD: (p) => pad(p.day, 2),
  Do: (p) => ordinal(p.day),
  D: (p) => String(p.day),
  dddd: (p, _d, names) => names.weekdays[p.weekday],
  ddd: (p, _d, names) => names.weekdaysShort[p.weekday],
  dd: (p, _d, names) => names.weekdaysMin[p.weekday],
  do: (p) => ordinal(p.weekday),
  d: (p) => String(p.weekday),
  e: (p) => String(p.weekday),
  E: (p) => String(p.weekday === 0 ? 7 : p.weekday),
  HH: (p) => pad(p.hour, 2),
  H: (p) => String(p.hour),
  hh: (p) => pad(hour12(p), 2),
  h: (p) => String(hour12(p)),
  kk: (p) => pad(p.hour === 0 ? 24 : p.hour, 2),
  k: (p) => String(p.hour === 0 ? 24 : p.hour),
  mm: (p) => pad(p.minute, 2),
  m: (p) => String(p.minute),
  ss: (p) => pad(p.second, 2),
  s: (p) => String(p.second),
  SSS: (p) => pad(p.millisecond, 3),
  SS: (p) => pad(Math.floor(p.millisecond / 10), 2),
  S: (p) => String(Math.floor(p.millisecond / 100)),
  A: (p) => (p.hour < 12 ? 'AM' : 'PM'),
  a: (p) => (p.hour < 12 ? 'am' : 'pm'),
  X: (_p, d) => String(Math.floor(d.ms / 1000)),
  x: (_p, d) => String(d.ms),
  ZZ: (p) => offsetText(p.offset, false),
  Z: (p) => offsetText(p.offset, true),
  zz: (_p, d) => d.tz ?? 'UTC',
  z: (_p, d) => d.tz ?? 'UTC',
  WW: (p) => pad(isoWeek(p).week, 2),
  Wo: (p) => ordinal(isoWeek(p).week),
  W: (p) => String(isoWeek(p).week),
  GGGG: (p) => pad(isoWeek(p).year, 4),
  GG: (p) => pad(isoWeek(p).year % 100, 2),
  ww: (p) => pad(weekNumber(p), 2),
  wo: (p) => ordinal(weekNumber(p)),
  w: (p) => String(weekNumber(p)),
  gggg: (p) => pad(p.year, 4),
  gg: (p) => pad(p.year % 100, 2),
};

function tokenValue(token: string, p: DateParts, d: FDate, names: Names): string {
  return Object.hasOwn(TOKEN_VALUES, token) ? TOKEN_VALUES[token](p, d, names) : token;
}
