import { formatIso } from './dates/date-format';
import { parseDateText } from './dates/date-parse';
import { FDate, FError, FORMULA_LIMITS, type FValue } from './types';

/**
 * Conversions between formula values, with Airtable's rules: a blank is 0 in arithmetic and ""
 * in text, TRUE is 1, a list reads as its items joined with ", ".
 */

export const isBlank = (v: FValue): boolean =>
  v === null || v === '' || (Array.isArray(v) && v.length === 0);
export const isError = (v: FValue): v is FError => v instanceof FError;

export class BudgetExceeded extends Error {
  constructor(what: string) {
    super(what);
  }
}

export function checkText(s: string): string {
  if (s.length > FORMULA_LIMITS.textChars)
    throw new BudgetExceeded(
      `the result would be longer than ${FORMULA_LIMITS.textChars} characters`,
    );
  return s;
}

export function toText(v: FValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToText(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof FDate) return formatIso(v);
  if (v instanceof FError) return '#ERROR!';
  return checkText(v.map(toText).join(', '));
}

export function numberToText(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  // Float noise (0.1 + 0.2) shows as Airtable shows it: at most 15 significant digits.
  const s = String(n);
  return s.length > 17 ? String(Number(n.toPrecision(15))) : s;
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** A number, or null when the value cannot be read as one. */
export function toNumberOrNull(v: FValue): number | null {
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return 0;
    return NUMERIC.test(t) ? Number(t) : null;
  }
  if (v instanceof FDate) return v.ms;
  if (Array.isArray(v)) {
    if (v.length === 0) return 0;
    if (v.length === 1) return toNumberOrNull(v[0]);
    return null;
  }
  return null;
}

export function truthy(v: FValue): boolean {
  if (v === null || v === false || v === '' || v === 0) return false;
  if (typeof v === 'number') return !Number.isNaN(v);
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof FError) return false;
  return true;
}

/** Airtable's `=`: blanks equal blanks, 0, "" and FALSE; numbers compare by value across text and TRUE/FALSE. */
export function looseEquals(a: FValue, b: FValue): boolean {
  if (a === null || b === null) {
    const other = a === null ? b : a;
    return (
      other === null ||
      other === '' ||
      other === 0 ||
      other === false ||
      (Array.isArray(other) && other.length === 0)
    );
  }
  if (a instanceof FDate || b instanceof FDate) {
    const x = a instanceof FDate ? a.ms : dateMsOf(a);
    const y = b instanceof FDate ? b.ms : dateMsOf(b);
    return x !== null && y !== null && x === y;
  }
  if (
    typeof a === 'number' ||
    typeof b === 'number' ||
    typeof a === 'boolean' ||
    typeof b === 'boolean'
  ) {
    if (
      (typeof a === 'string' && typeof b === 'boolean') ||
      (typeof b === 'string' && typeof a === 'boolean')
    )
      return toText(a) === toText(b);
    const x = toNumberOrNull(a);
    const y = toNumberOrNull(b);
    return x !== null && y !== null && x === y;
  }
  return toText(a) === toText(b);
}

/** Ordering for < and >: numbers and dates by value, otherwise text by code point. */
export function compareValues(a: FValue, b: FValue): number | null {
  if (a instanceof FDate || b instanceof FDate) {
    const x = a instanceof FDate ? a.ms : dateMsOf(a);
    const y = b instanceof FDate ? b.ms : dateMsOf(b);
    if (x === null || y === null) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (
    typeof a === 'string' &&
    typeof b === 'string' &&
    (toNumberOrNull(a) === null || toNumberOrNull(b) === null || a.trim() === '' || b.trim() === '')
  ) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = toNumberOrNull(a);
  const y = toNumberOrNull(b);
  if (x === null || y === null) {
    const s = toText(a);
    const t = toText(b);
    return s < t ? -1 : s > t ? 1 : 0;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function dateMsOf(v: FValue): number | null {
  if (typeof v === 'string') return parseDateText(v);
  if (typeof v === 'number') return v;
  return null;
}

export function flatten(values: FValue[], out: FValue[] = []): FValue[] {
  for (const v of values) {
    if (Array.isArray(v)) flatten(v, out);
    else out.push(v);
  }
  if (out.length > FORMULA_LIMITS.arrayItems)
    throw new BudgetExceeded(`a list would hold more than ${FORMULA_LIMITS.arrayItems} items`);
  return out;
}

export const typeName = (v: FValue): string =>
  v === null
    ? 'blank'
    : v instanceof FDate
      ? 'a date'
      : v instanceof FError
        ? 'an error'
        : Array.isArray(v)
          ? 'a list'
          : typeof v === 'number'
            ? 'a number'
            : typeof v === 'boolean'
              ? 'TRUE/FALSE'
              : 'text';
