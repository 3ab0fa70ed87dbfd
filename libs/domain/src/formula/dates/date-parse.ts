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

/**
 * DATETIME_PARSE with a moment.js input format. Like moment's default (forgiving) mode, any run of
 * punctuation or space in the format matches any run of punctuation or space in the text.
 */
export function parseWithFormat(
  text: string,
  format: string,
  tz?: string | null,
  locale?: string | null,
): number | null {
  if (typeof text !== 'string' || text.length > 200 || format.length > 200) return null;
  const fields: string[] = [];
  let pattern = '';
  let lastWasSeparator = false;
  for (const match of format.matchAll(FORMAT_TOKEN)) {
    const [token, literal] = match;
    if (literal !== undefined) {
      pattern += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      lastWasSeparator = false;
      continue;
    }
    if (token.length === 1 && !/[A-Za-z]/.test(token)) {
      if (!lastWasSeparator) pattern += '[^A-Za-z0-9\\u00C0-\\uFFFF]*';
      lastWasSeparator = true;
      continue;
    }
    lastWasSeparator = false;
    const group = ((): string | null => {
      switch (token) {
        case 'YYYY':
          return '([+-]?\\d{1,6})';
        case 'YY':
          return '(\\d{2})';
        case 'Y':
          return '([+-]?\\d+)';
        case 'MMMM':
        case 'MMM':
        case 'dddd':
        case 'ddd':
        case 'dd':
          return '([^\\d\\s,.\\-/]+)\\.?';
        case 'Do':
          return '(\\d{1,2})(?:st|nd|rd|th)?';
        case 'DDDD':
        case 'DDD':
          return '(\\d{1,3})';
        case 'SSS':
        case 'SS':
        case 'S':
          return '(\\d+)';
        case 'A':
        case 'a':
          return '([ap]\\.?\\s?m\\.?)';
        case 'X':
          return '(-?\\d+(?:\\.\\d+)?)';
        case 'x':
          return '(-?\\d+)';
        case 'ZZ':
        case 'Z':
          return '(Z|[+-]\\d{2}:?\\d{2})';
        case 'd':
          return '(\\d)';
        default:
          return /^[MDHhkms]{1,2}$/.test(token) ? '(\\d{1,2})' : null;
      }
    })();
    if (group === null) {
      pattern += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    pattern += group;
    fields.push(token);
  }
  const m = new RegExp(`^\\s*${pattern}\\s*$`, 'iu').exec(text);
  if (!m) return null;
  let year = 1970; // moment's default for a format without a year is the current year; a fixed one keeps formulas pure
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millisecond = 0;
  let pm: boolean | null = null;
  let zone: string | null = null;
  let epoch: number | null = null;
  let dayOfYear: number | null = null;
  for (let i = 0; i < fields.length; i++) {
    const v = m[i + 1];
    switch (fields[i]) {
      case 'YYYY':
      case 'Y':
        year = Number(v);
        break;
      case 'YY':
        year = twoDigitYear(Number(v));
        break;
      case 'MMMM':
      case 'MMM': {
        const n = monthByName(v, locale);
        if (n === null) return null;
        month = n;
        break;
      }
      case 'MM':
      case 'M':
        month = Number(v);
        break;
      case 'DD':
      case 'D':
      case 'Do':
        day = Number(v);
        break;
      case 'DDDD':
      case 'DDD':
        dayOfYear = Number(v);
        break;
      case 'HH':
      case 'H':
      case 'hh':
      case 'h':
        hour = Number(v);
        break;
      case 'kk':
      case 'k':
        hour = Number(v) === 24 ? 0 : Number(v);
        break;
      case 'mm':
      case 'm':
        minute = Number(v);
        break;
      case 'ss':
      case 's':
        second = Number(v);
        break;
      case 'SSS':
      case 'SS':
      case 'S':
        millisecond = Math.floor(Number(`0.${v}`) * 1000);
        break;
      case 'A':
      case 'a':
        pm = /^p/i.test(v);
        break;
      case 'X':
        epoch = Math.round(Number(v) * 1000);
        break;
      case 'x':
        epoch = Number(v);
        break;
      case 'ZZ':
      case 'Z':
        zone = v;
        break;
      default:
        break;
    }
  }
  if (epoch !== null) return Number.isFinite(epoch) ? epoch : null;
  if (pm !== null) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (dayOfYear !== null) {
    const d = new Date(Date.UTC(2001, 0, 1) + (dayOfYear - 1) * 86_400_000);
    d.setUTCFullYear(year, 0, dayOfYear);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  }
  const time = [
    String(hour),
    String(minute),
    String(second),
    millisecond ? String(millisecond).padStart(3, '0') : undefined,
    undefined,
    zone ?? undefined,
  ];
  return buildChecked(year, month, day, time, tz);
}

function buildChecked(
  year: number,
  month: number,
  day: number,
  time: (string | undefined)[],
  tz?: string | null,
): number | null {
  return build({ year, month, day, time }, tz);
}
