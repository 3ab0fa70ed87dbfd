import { isValidDate } from '../values/normalize';
import { COMMA_DECIMAL, parseLocaleNumber, POINT_DECIMAL } from '../values/number-text';

/**
 * Parsers for the text Airtable (and spreadsheets) write into a CSV cell. Each returns null when the
 * text is not of its kind; none of them guesses between readings that differ.
 */

export type DecimalMark = '.' | ',';
export type DateOrder = 'mdy' | 'dmy';

const CHECKED = new Set(['checked', 'true', 'yes', 'y', 'x', '1', '✓', '✔', '☑', 'on']);
const UNCHECKED = new Set(['', 'unchecked', 'false', 'no', 'n', '0', 'off']);

/** Airtable writes a ticked box as `checked` and an empty one as nothing. */
export function parseCheckbox(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (CHECKED.has(t)) return true;
  if (UNCHECKED.has(t)) return false;
  return null;
}

/** Formula results that are not values: Airtable exports them as text. */
export const FORMULA_ERRORS = new Set([
  'NaN',
  '#ERROR!',
  '#ERROR',
  'Infinity',
  '-Infinity',
  '#NUM!',
  '#DIV/0!',
  '#VALUE!',
  '#N/A',
  '#REF!',
]);

/**
 * A plain number with optional thousands separators: `1,234.5`, `-0.25`, `1.234,5` (decimal comma),
 * `1 234,5`, `1'234.5`, `(1,234)` (negative), `1e6`. Read by the app's one number parser with the
 * column's decimal mark, so `1,23` is never read as 123.
 */
const SIMPLE_NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;

export function parseNumberText(text: string, decimal: DecimalMark = '.'): number | null {
  // Most cells are plain numbers: read them without the general parser's work.
  if (decimal === '.' && SIMPLE_NUMBER.test(text)) {
    const n = Number(text);
    return n === 0 ? 0 : n;
  }
  const r = parseLocaleNumber(text, decimal === '.' ? POINT_DECIMAL : COMMA_DECIMAL, {
    currency: false,
  });
  return r.ok ? r.value : null;
}

const SYMBOLS = [
  'US$',
  'CA$',
  'A$',
  'NZ$',
  'HK$',
  'S$',
  'R$',
  'CHF',
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CAD',
  'AUD',
  '$',
  '€',
  '£',
  '¥',
  '₹',
  '₩',
  '₪',
  '₽',
  '₺',
  'kr',
  'zł',
  'Fr.',
  'R',
];
const SYMBOL_ALT = SYMBOLS.map((s) => s.replace(/[.$]/g, (c) => `\\${c}`)).join('|');
const CURRENCY = new RegExp(
  `^([-−(]?)\\s*(${SYMBOL_ALT})\\s*([-−]?)\\s*([\\d.,\\u00A0\\u202F\\u2009\\u2019 ']+)\\s*(\\)?)$|^([-−(]?)\\s*([\\d.,\\u00A0\\u202F\\u2009\\u2019 ']+)\\s*(${SYMBOL_ALT})\\s*(\\)?)$`,
  'u',
);

/** `$1,000,000.00`, `-$5.00`, `($5.00)`, `€1.000,00`, `1 000 € ` → the amount and its symbol. */
const SIMPLE_DOLLARS = /^(-?)\$(\d{1,3}(?:,\d{3})*(?:\.\d{1,8})?)$/;

export function parseCurrency(
  text: string,
  decimal: DecimalMark = '.',
): { value: number; symbol: string } | null {
  // Airtable's own form, `$1,000,000.00` or `-$5.00`, without the general pattern.
  const simple = decimal === '.' ? SIMPLE_DOLLARS.exec(text) : null;
  if (simple) {
    const n = Number(simple[2].replace(/,/g, ''));
    return { value: simple[1] && n !== 0 ? -n : n, symbol: '$' };
  }
  const t = text.trim();
  const m = CURRENCY.exec(t);
  if (!m) return null;
  const prefix = m[2] !== undefined;
  const sign = prefix ? `${m[1]}${m[3]}` : m[6];
  const digits = prefix ? m[4] : m[7];
  const symbol = prefix ? m[2] : m[8];
  const close = prefix ? m[5] : m[9];
  if (sign.includes('(') !== (close === ')')) return null;
  const n = parseNumberText(digits, decimal);
  if (n === null) return null;
  const negative = /[-−(]/.test(sign);
  return { value: negative ? -n : n, symbol };
}

/** `25%` → 0.25, `12.5 %` → 0.125. */
export function parsePercent(
  text: string,
  decimal: DecimalMark = '.',
  requireSign = true,
): number | null {
  const t = text.trim();
  const m = /^(.*?)\s*%$/.exec(t);
  if (!m && requireSign) return null;
  const n = parseNumberText(m ? m[1] : t, decimal);
  return n === null ? null : Number((n / 100).toPrecision(15));
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthOf(name: string): number {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.length < 3) return 0;
  const i = MONTHS.findIndex((m) => m.startsWith(n) || (n === 'sept' && m === 'september'));
  return i + 1;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The two leading numbers of a slash date (`7/20/2026` → [7, 20]), for telling day-first from month-first. */
export function slashDateParts(text: string): [number, number] | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function isoDate(y: number, mo: number, d: number): string | null {
  const iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  return mo >= 1 && mo <= 12 && isValidDate(iso) ? iso : null;
}

const SLASH_DATE = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})$/;
const fullYear = (y: string) =>
  y.length === 2 ? 2000 + Number(y) - (Number(y) >= 70 ? 100 : 0) : Number(y);

/**
 * A calendar date: `2021-01-31`, `1/31/2021` (month first) or `31/1/2021` (day first, by `order`),
 * `31.1.2021` (always day first), `January 31, 2021`, `31 Jan 2021`. Returns `YYYY-MM-DD`.
 */
export function parseDateText(text: string, order: DateOrder = 'mdy'): string | null {
  const t = text.trim();
  let m: RegExpExecArray | null;
  if ((m = SLASH_DATE.exec(t))) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return order === 'mdy' ? isoDate(fullYear(m[3]), a, b) : isoDate(fullYear(m[3]), b, a);
  }
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t)))
    return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(t)))
    return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$/.exec(t)))
    return isoDate(fullYear(m[3]), Number(m[2]), Number(m[1]));
  if ((m = /^([A-Za-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(t)))
    return isoDate(Number(m[3]), monthOf(m[1]), Number(m[2]));
  if ((m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9}\.?),?\s+(\d{4})$/.exec(t)))
    return isoDate(Number(m[3]), monthOf(m[2]), Number(m[1]));
  return null;
}

/** Minutes east of UTC of an IANA zone at a UTC instant (from Intl, so it works in the browser too). */
export function zoneOffsetMinutes(timeZone: string, utcMillis: number): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'GMT') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour') % 24,
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(utcMillis / 1000) * 1000) / 60000);
}

/** The UTC instant of a wall-clock time in a zone (the earlier one when a DST change repeats the hour). */
export function wallClockToUtc(
  date: string,
  h: number,
  mi: number,
  s: number,
  ms: number,
  timeZone: string,
): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + ((h * 60 + mi) * 60 + s) * 1000 + ms;
  let guess = wall - zoneOffsetMinutes(timeZone, wall) * 60000;
  guess = wall - zoneOffsetMinutes(timeZone, guess) * 60000;
  return guess;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A date and time: ISO 8601 (`2026-07-20T12:32:00Z`, or without a zone), Airtable's `7/20/2026 12:32pm`
 * or `7/20/2026 12:32`, `2026-07-20 12:32`. A time without a zone is read in `timeZone`. A date alone
 * is midnight. Returns an ISO string in UTC.
 */
export function parseDateTimeText(
  text: string,
  order: DateOrder = 'mdy',
  timeZone = 'UTC',
): string | null {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(t)) {
    if (!isValidDate(t.slice(0, 10))) return null;
    const ms = Date.parse(t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  const m = /^(.+?)[T\s,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*([ap]\.?m\.?)?$/i.exec(
    t,
  );
  const date = parseDateText(m ? m[1].replace(/,$/, '') : t, order);
  if (!date) return null;
  let [h, mi, s, ms] = [0, 0, 0, 0];
  if (m) {
    [h, mi, s, ms] = [
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number((m[5] ?? '0').padEnd(3, '0')),
    ];
    const ampm = m[6]?.toLowerCase().replace(/\./g, '');
    if (ampm) {
      if (h < 1 || h > 12) return null;
      h = (h % 12) + (ampm === 'pm' ? 12 : 0);
    }
    if (h > 23 || mi > 59 || s > 59) return null;
  }
  return new Date(wallClockToUtc(date, h, mi, s, ms, timeZone)).toISOString();
}

/** True when the text carries a time of day (so the column is date-time rather than date). */
export const hasTimeOfDay = (text: string): boolean => /\d{1,2}:\d{2}/.test(text);
