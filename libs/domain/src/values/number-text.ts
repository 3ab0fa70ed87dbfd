/**
 * Numbers as people type them in their own locale, read by one parser for the grid, the record
 * drawer, view filters and the import. The locale comes in as its two separators, so that this stays
 * pure; `separatorsFor` reads them from Intl, the same source the app formats with.
 *
 * How a text is read (the locale's decimal mark D and group mark G, e.g. de-CH "." and "’"):
 * - D is the decimal mark: at most one, after every group mark.
 * - G, apostrophes (' ’) and spaces (plain, no-break, narrow no-break, thin) group thousands: each
 *   group after the first has exactly three digits (or Indian lakh groups, 12,34,567), the first
 *   one to three; one kind of group mark per number; no group mark after the decimal mark.
 * - The point or comma that is neither D nor G (the comma in de-CH, the point in fr-CH and de-AT):
 *   beside D, or more than once, it can only group (`1.000,50` in de-AT, `1,000.5` in de-CH).
 *   Once and alone it is the decimal mark, unless exactly three digits follow it and no other group
 *   mark tells the reading: `1,5` is 1.5 in de-CH, `1,500` is refused (1.5 or 1500?), `1'000,500`
 *   is 1000.5.
 * - Anything else with a point or comma in the wrong place is refused, never guessed: in en-US
 *   `1,5` and `1.500,50` are refused, in de-DE `1.5` is.
 * - Around the number: a sign (- + −) before or after a currency symbol, a trailing minus, or
 *   accounting parentheses; a currency symbol before or after; with `scale`, a k, m/mm/mn/Mio. or
 *   b/bn/Mrd. suffix (2.5M, 2,5 Mio.); an exponent (1e6) when no group mark is used.
 */

export interface NumberSeparators {
  decimal: string;
  group: string;
}

/** The decimal point, as in en-US. */
export const POINT_DECIMAL: NumberSeparators = { decimal: '.', group: ',' };
/** The decimal comma, as in de-DE. */
export const COMMA_DECIMAL: NumberSeparators = { decimal: ',', group: '.' };

export type NumberTextReason =
  'empty' | 'not_a_number' | 'misplaced_separator' | 'ambiguous_separator' | 'out_of_range';
export type NumberTextResult =
  { ok: true; value: number } | { ok: false; reason: NumberTextReason };

export interface NumberTextOptions {
  /** Accept k, m/mm/mn/Mio. and b/bn/Mrd. after the number (the grid and filters do; an import does not). */
  scale?: boolean;
  /** Currency symbols accepted before or after the number besides the common ones (a field's own symbol). */
  symbols?: readonly string[];
  /** False: no currency symbol at all (an import reads amounts with symbols apart, to tell the column's type). */
  currency?: boolean;
}

const separatorCache = new Map<string, NumberSeparators>();

/** The decimal and group marks Intl formats with in a locale (the runtime's default when none is given). */
export function separatorsFor(locale?: string): NumberSeparators {
  const key = locale ?? '';
  let seps = separatorCache.get(key);
  if (!seps) {
    const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
    seps = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    separatorCache.set(key, seps);
  }
  return seps;
}

/** Common currency symbols, longest first so that `US$` wins over `$`. */
export const CURRENCY_SYMBOLS: readonly string[] = [
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
  'Fr.',
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
  'R',
].sort((a, b) => b.length - a.length);
/** Thousands, millions and billions as written in English and German (2.5M, 2,5 Mio., 1 Mrd.). */
const SCALE: Record<string, number> = {
  k: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  mio: 1e6,
  b: 1e9,
  bn: 1e9,
  mrd: 1e9,
};
const SCALE_SUFFIX = /\s*(mm|mn|mio\.?|mrd\.?|bn|k|m|b)$/i;

const isSpace = (c: string) =>
  c === ' ' || c === '\u00A0' || c === '\u202F' || c === '\u2009' || c === '\u2007';
const isApostrophe = (c: string) => c === "'" || c === '\u2019' || c === '\u02BC' || c === '\u2032';
/** Digits of other scripts that Intl writes for some locales (Arabic, Persian, Devanagari, Bengali, full width). */
const DIGIT_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xff10];
const FOREIGN_DIGIT = /[\u0660-\u0669\u06F0-\u06F9\u0966-\u096F\u09E6-\u09EF\uFF10-\uFF19]/g;
const BIDI_MARKS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
const MINUS = /[\u2212\uFE63\uFF0D]/g;

function latinDigits(t: string): string {
  return t.replace(FOREIGN_DIGIT, (c) => {
    const code = c.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9)!;
    return String(code - zero);
  });
}

function stripSymbol(t: string, symbols: readonly string[], atStart: boolean): string {
  if (t === '' || symbols.length === 0) return t;
  const edge = t.charCodeAt(atStart ? 0 : t.length - 1);
  if (edge >= 48 && edge <= 57) return t;
  for (const s of symbols) {
    if (atStart ? t.startsWith(s) : t.endsWith(s))
      return (atStart ? t.slice(s.length) : t.slice(0, -s.length)).trim();
  }
  return t;
}

const symbolLists = new Map<string, readonly string[]>();
function symbolsFor(options: NumberTextOptions): readonly string[] {
  if (options.currency === false) return [];
  if (!options.symbols?.length) return CURRENCY_SYMBOLS;
  const key = options.symbols.join('\u0000');
  let list = symbolLists.get(key);
  if (!list) {
    list = [...new Set([...options.symbols.filter((x) => x !== ''), ...CURRENCY_SYMBOLS])].sort(
      (a, b) => b.length - a.length,
    );
    if (symbolLists.size > 100) symbolLists.clear();
    symbolLists.set(key, list);
  }
  return list;
}

const PLAIN_INTEGER = /^-?\d{1,15}$/;
/** Any character outside ASCII (the pattern reads UTF-16 code units, none above U+FFFF). */
const NON_ASCII = /[\u0080-\uffff]/;

/** Reads a number typed in a locale; see the module comment for exactly what is accepted. */
export function parseLocaleNumber(
  text: string,
  seps: NumberSeparators,
  options: NumberTextOptions = {},
): NumberTextResult {
  // Most cells are whole numbers: nothing to weigh.
  if (PLAIN_INTEGER.test(text)) {
    const n = Number(text);
    return { ok: true, value: n === 0 ? 0 : n };
  }
  let t = text.trim();
  if (NON_ASCII.test(t)) t = latinDigits(t.replace(BIDI_MARKS, '')).replace(MINUS, '-').trim();
  if (t === '') return { ok: false, reason: 'empty' };
  if (t.length > 100) return { ok: false, reason: 'not_a_number' };
  const symbols = symbolsFor(options);
  let negative = false;
  let signs = 0;
  if (t.startsWith('(') && t.endsWith(')')) {
    negative = true;
    t = t.slice(1, -1).trim();
  }
  for (let pass = 0; pass < 2; pass++) {
    // A sign before or after the leading currency symbol: -$5, $-5.
    if (t.startsWith('-') || t.startsWith('+')) {
      negative = negative !== (t[0] === '-');
      signs++;
      t = t.slice(1).trim();
    }
    if (pass === 0) t = stripSymbol(t, symbols, true);
  }
  if (t.endsWith('-')) {
    negative = !negative;
    signs++;
    t = t.slice(0, -1).trim();
  }
  t = stripSymbol(t, symbols, false);
  let factor = 1;
  if (options.scale) {
    const m = SCALE_SUFFIX.exec(t);
    if (m && m.index > 0) {
      factor = SCALE[m[1].toLowerCase().replace('.', '')];
      t = t.slice(0, m.index);
    }
  }
  if (signs > 1) return { ok: false, reason: 'not_a_number' };
  const read = readDigits(t, seps);
  if (!read.ok) return read;
  let n = read.value;
  if (factor !== 1) n = Number((n * factor).toPrecision(15)); // float noise of 1.1 × 1e6
  if (!Number.isFinite(n)) return { ok: false, reason: 'out_of_range' };
  return { ok: true, value: negative && n !== 0 ? -n : n };
}

const DECIMAL = 0;
const OTHER = 1;
const GROUP = 2;
const EXPONENT = /[eE]([-+]?\d{1,3})$/;
const NON_DIGITS = /\D/g;

/** The digits and marks of a number without sign, symbol or suffix. */
function readDigits(t: string, seps: NumberSeparators): NumberTextResult {
  let exponent = '';
  const e = EXPONENT.exec(t);
  if (e) {
    exponent = e[1];
    t = t.slice(0, e.index);
  }
  // The lengths of the digit runs between marks, each mark's kind and, for a group mark, its kind of group.
  const runs: number[] = [];
  const kinds: number[] = [];
  const groupOf: string[] = [];
  let run = 0;
  let digits = 0;
  let decimals = 0;
  let others = 0;
  for (let i = 0; i < t.length; i++) {
    const code = t.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      run++;
      digits++;
      continue;
    }
    const c = t[i];
    if (c === seps.decimal) {
      kinds.push(DECIMAL);
      decimals++;
    } else if (c === seps.group || isSpace(c) || isApostrophe(c)) {
      kinds.push(GROUP);
    } else if (c === '.' || c === ',') {
      kinds.push(OTHER);
      others++;
    } else return { ok: false, reason: 'not_a_number' };
    groupOf.push(isSpace(c) ? ' ' : isApostrophe(c) ? "'" : c);
    runs.push(run);
    run = 0;
  }
  runs.push(run);
  if (digits === 0) return { ok: false, reason: 'not_a_number' };
  if (kinds.length === 0) return finish(t, 0, exponent);
  // Every mark stands between digits, except a leading decimal mark (.5).
  for (let i = 0; i < runs.length; i++) {
    if (runs[i] === 0 && !(i === 0 && kinds[0] !== GROUP))
      return { ok: false, reason: 'misplaced_separator' };
  }
  // Beside the decimal mark, or more than once, the other mark can only group (de-AT money: 1.000,00).
  if (others > 1 || (decimals === 1 && others > 0)) {
    for (let i = 0; i < kinds.length; i++) if (kinds[i] === OTHER) kinds[i] = GROUP;
    others = 0;
  }
  if (decimals > 1) return { ok: false, reason: 'misplaced_separator' };
  const last = kinds[kinds.length - 1];
  let groups = kinds.length;
  let fraction = 0;
  if (decimals === 1 || others === 1) {
    if (last === GROUP) return { ok: false, reason: 'misplaced_separator' };
    groups--;
    if (last === OTHER && runs[runs.length - 1] === 3 && groups === 0 && runs[0] !== 0)
      return { ok: false, reason: 'ambiguous_separator' };
    fraction = runs[runs.length - 1];
  }
  if (groups > 0) {
    if (exponent !== '') return { ok: false, reason: 'misplaced_separator' };
    for (let i = 1; i < groups; i++)
      if (groupOf[i] !== groupOf[0]) return { ok: false, reason: 'misplaced_separator' };
    if (!wellGrouped(runs.slice(0, groups + 1)))
      return { ok: false, reason: 'misplaced_separator' };
  }
  return finish(t.replace(NON_DIGITS, ''), fraction, exponent);
}

function finish(allDigits: string, fraction: number, exponent: string): NumberTextResult {
  const int = allDigits.slice(0, allDigits.length - fraction) || '0';
  const n = Number(
    `${int}${fraction ? `.${allDigits.slice(allDigits.length - fraction)}` : ''}${exponent ? `e${exponent}` : ''}`,
  );
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: 'out_of_range' };
}

/** Thousands (1,234,567) or Indian lakh groups (12,34,567); a single run is always fine. */
function wellGrouped(runs: number[]): boolean {
  if (runs.length === 1) return true;
  const first = runs[0];
  const lastRun = runs[runs.length - 1];
  if (first < 1 || first > 3 || lastRun !== 3) return false;
  let thousands = true;
  let lakhs = first <= 2;
  for (let i = 1; i < runs.length - 1; i++) {
    if (runs[i] !== 3) thousands = false;
    if (runs[i] !== 2) lakhs = false;
  }
  return thousands || lakhs;
}
