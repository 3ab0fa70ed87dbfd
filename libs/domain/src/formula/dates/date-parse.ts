import { namesFor } from './locale-names';
import { fromWallClock } from './time-zones';

/**
 * Reading dates from text. Without a format, the shapes Airtable's examples use: ISO 8601
 * ("2021-06-09", "2021-06-09T10:00:00Z"), year first with slashes, US month/day/year ("02/17/2013
 * 7:31pm", "07/10/19"), and month names ("4 March 2017 7:00", "Mar 4, 2017"). Text without a zone
 * is read in the given zone (UTC by default). Two-digit years are 1969–2068, as in moment.js.
 */

const TIME = String.raw`(?:[T\s]+(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?(?:[.,](\d{1,9}))?\s*([ap]\.?\s?m\.?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`;
const ISO = new RegExp(String.raw`^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})${TIME}$`, 'i');
const YMD_SLASH = new RegExp(String.raw`^(\d{4})[/.](\d{1,2})[/.](\d{1,2})${TIME}$`, 'i');
const MDY = new RegExp(String.raw`^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})${TIME}$`, 'i');
const WEEKDAY_PREFIX = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i;

export const twoDigitYear = (y: number) => (y > 68 ? 1900 + y : 2000 + y);

function monthByName(s: string, locale?: string | null): number | null {
  const key = s.toLowerCase().replace(/\.$/, '');
  const lists = [namesFor(null), ...(locale ? [namesFor(locale)] : [])];
  for (const names of lists) {
    const long = names.months.findIndex((m) => m.toLowerCase() === key);
    if (long >= 0) return long + 1;
    const short = names.monthsShort.findIndex((m) => m.toLowerCase().replace(/\.$/, '') === key);
    if (short >= 0) return short + 1;
    if (key.length >= 3) {
      const prefix = names.months.findIndex((m) => m.toLowerCase().startsWith(key));
      if (prefix >= 0) return prefix + 1;
    }
  }
  return null;
}

interface Parsed {
  year: number;
  month: number;
  day: number;
  time: (string | undefined)[];
}

function build(p: Parsed, tz: string | null | undefined): number | null {
  const [h, mi, s, frac, ampm, zone] = p.time;
  let hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const millisecond = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    const pm = /^p/i.test(ampm);
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (
    p.month < 1 ||
    p.month > 12 ||
    p.day < 1 ||
    p.day > 31 ||
    hour > 24 ||
    minute > 59 ||
    second > 60
  )
    return null;
  const probe = new Date(Date.UTC(2000, p.month - 1, p.day));
  if (probe.getUTCDate() !== p.day && !(p.month === 2 && p.day === 29)) return null;
  if (
    p.month === 2 &&
    p.day === 29 &&
    !(p.year % 4 === 0 && (p.year % 100 !== 0 || p.year % 400 === 0))
  )
    return null;
  if (zone) {
    const base = fromWallClock(
      { year: p.year, month: p.month, day: p.day, hour, minute, second, millisecond },
      'UTC',
    );
    if (/^(z|utc|gmt)$/i.test(zone)) return base;
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const off = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1);
    return base - off * 60_000;
  }
  return fromWallClock(
    { year: p.year, month: p.month, day: p.day, hour, minute, second, millisecond },
    tz,
  );
}

/** Milliseconds since the epoch, or null when the text is not a date this reader knows. */
export function parseDateText(
  text: string,
  tz?: string | null,
  locale?: string | null,
): number | null {
  if (typeof text !== 'string') return null;
  const s = text.trim().replace(WEEKDAY_PREFIX, '');
  if (s.length === 0 || s.length > 100) return null;
  let m = ISO.exec(s) ?? YMD_SLASH.exec(s);
  if (m)
    return build(
      { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), time: m.slice(4) },
      tz,
    );
  m = MDY.exec(s);
  if (m) {
    const y = m[3].length === 2 ? twoDigitYear(Number(m[3])) : Number(m[3]);
    return build({ year: y, month: Number(m[1]), day: Number(m[2]), time: m.slice(4) }, tz);
  }
  // "4 March 2017 7:00", "4th Mar 2017", "March 4, 2017 7:31pm", "Mar 4 2017"
  m = new RegExp(
    String.raw`^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([^\d\s,.\-]+)\.?,?[\s\-]+(\d{4}|\d{2})${TIME}$`,
    'iu',
  ).exec(s);
  if (m) {
    const month = monthByName(m[2], locale);
    const y = m[3].length === 2 ? twoDigitYear(Number(m[3])) : Number(m[3]);
    return month === null
      ? null
      : build({ year: y, month, day: Number(m[1]), time: m.slice(4) }, tz);
  }
  m = new RegExp(
    String.raw`^([^\d\s,.\-]+)\.?[\s\-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s\-]+(\d{4})${TIME}$`,
    'iu',
  ).exec(s);
  if (m) {
    const month = monthByName(m[1], locale);
    return month === null
      ? null
      : build({ year: Number(m[3]), month, day: Number(m[2]), time: m.slice(4) }, tz);
  }
  return null;
}

const FORMAT_TOKEN =
  /\[([^\]]*)\]|YYYY|YY|Y|MMMM|MMM|MM|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|X|x|ZZ|Z|./g;

const NAME = '([^\\d\\s,.\\-/]+)\\.?';

/** What each format token reads (a token not listed is matched as itself, or as 1–2 digits). */
const TOKEN_PATTERNS: Record<string, string> = {
  YYYY: '([+-]?\\d{1,6})',
  YY: '(\\d{2})',
  Y: '([+-]?\\d+)',
  MMMM: NAME,
  MMM: NAME,
  dddd: NAME,
  ddd: NAME,
  dd: NAME,
  Do: '(\\d{1,2})(?:st|nd|rd|th)?',
  DDDD: '(\\d{1,3})',
  DDD: '(\\d{1,3})',
  SSS: '(\\d+)',
  SS: '(\\d+)',
  S: '(\\d+)',
  A: '([ap]\\.?\\s?m\\.?)',
  a: '([ap]\\.?\\s?m\\.?)',
  X: '(-?\\d+(?:\\.\\d+)?)',
  x: '(-?\\d+)',
  ZZ: '(Z|[+-]\\d{2}:?\\d{2})',
  Z: '(Z|[+-]\\d{2}:?\\d{2})',
  d: '(\\d)',
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tokenPattern(token: string): string | null {
  if (Object.hasOwn(TOKEN_PATTERNS, token)) return TOKEN_PATTERNS[token];
  return /^[MDHhkms]{1,2}$/.test(token) ? '(\\d{1,2})' : null;
}

/**
 * A format as a regular expression, and the token each of its groups reads. Like moment's default
 * (forgiving) mode, any run of punctuation or space in the format matches any run of punctuation or
 * space in the text.
 */
function formatPattern(format: string): { pattern: RegExp; fields: string[] } {
  const fields: string[] = [];
  let pattern = '';
  let lastWasSeparator = false;
  for (const [token, literal] of format.matchAll(FORMAT_TOKEN)) {
    if (literal !== undefined) {
      pattern += escapeRegExp(literal);
      lastWasSeparator = false;
      continue;
    }
    if (token.length === 1 && !/[A-Za-z]/.test(token)) {
      if (!lastWasSeparator) pattern += '[^A-Za-z0-9\\u00C0-\\uFFFF]*';
      lastWasSeparator = true;
      continue;
    }
    lastWasSeparator = false;
    const group = tokenPattern(token);
    if (group === null) {
      pattern += escapeRegExp(token);
      continue;
    }
    pattern += group;
    fields.push(token);
  }
  return { pattern: new RegExp(`^\\s*${pattern}\\s*$`, 'iu'), fields };
}

/** What a format read from a text, before it becomes an instant. */
interface FormatFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  pm: boolean | null;
  zone: string | null;
  epoch: number | null;
  dayOfYear: number | null;
}

/** Reads one token's text into the fields; false when it cannot (an unknown month name). */
function readField(f: FormatFields, token: string, v: string, locale?: string | null): boolean {
  switch (token) {
    case 'YYYY':
    case 'Y':
      f.year = Number(v);
      break;
    case 'YY':
      f.year = twoDigitYear(Number(v));
      break;
    case 'MMMM':
    case 'MMM': {
      const n = monthByName(v, locale);
      if (n === null) return false;
      f.month = n;
      break;
    }
    case 'MM':
    case 'M':
      f.month = Number(v);
      break;
    case 'DD':
    case 'D':
    case 'Do':
      f.day = Number(v);
      break;
    case 'DDDD':
    case 'DDD':
      f.dayOfYear = Number(v);
      break;
    case 'HH':
    case 'H':
    case 'hh':
    case 'h':
      f.hour = Number(v);
      break;
    case 'kk':
    case 'k':
      f.hour = Number(v) === 24 ? 0 : Number(v);
      break;
    case 'mm':
    case 'm':
      f.minute = Number(v);
      break;
    case 'ss':
    case 's':
      f.second = Number(v);
      break;
    default:
      readOtherField(f, token, v);
  }
  return true;
}

/** Fractions, AM/PM, epoch seconds or milliseconds, and the zone. */
function readOtherField(f: FormatFields, token: string, v: string): void {
  switch (token) {
    case 'SSS':
    case 'SS':
    case 'S':
      f.millisecond = Math.floor(Number(`0.${v}`) * 1000);
      break;
    case 'A':
    case 'a':
      f.pm = /^p/i.test(v);
      break;
    case 'X':
      f.epoch = Math.round(Number(v) * 1000);
      break;
    case 'x':
      f.epoch = Number(v);
      break;
    case 'ZZ':
    case 'Z':
      f.zone = v;
      break;
    default:
      break;
  }
}

function instantOf(f: FormatFields, tz?: string | null): number | null {
  if (f.epoch !== null) return Number.isFinite(f.epoch) ? f.epoch : null;
  let { hour, month, day } = f;
  if (f.pm !== null) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (f.pm ? 12 : 0);
  }
  if (f.dayOfYear !== null) {
    const d = new Date(Date.UTC(2001, 0, 1) + (f.dayOfYear - 1) * 86_400_000);
    d.setUTCFullYear(f.year, 0, f.dayOfYear);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  const time = [
    String(hour),
    String(f.minute),
    String(f.second),
    f.millisecond ? String(f.millisecond).padStart(3, '0') : undefined,
    undefined,
    f.zone ?? undefined,
  ];
  return build({ year: f.year, month, day, time }, tz);
}

/** DATETIME_PARSE with a moment.js input format (see formatPattern). */
export function parseWithFormat(
  text: string,
  format: string,
  tz?: string | null,
  locale?: string | null,
): number | null {
  if (typeof text !== 'string' || text.length > 200 || format.length > 200) return null;
  const { pattern, fields } = formatPattern(format);
  const m = pattern.exec(text);
  if (!m) return null;
  const f: FormatFields = {
    // moment's default for a format without a year is the current year; a fixed one keeps formulas pure
    year: 1970,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
    pm: null,
    zone: null,
    epoch: null,
    dayOfYear: null,
  };
  for (let i = 0; i < fields.length; i++) {
    if (!readField(f, fields[i], m[i + 1], locale)) return null;
  }
  return instantOf(f, tz);
}
