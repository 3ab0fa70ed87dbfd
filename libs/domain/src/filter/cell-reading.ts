import { zoneOffset } from '../formula/dates/time-zones';
import { foldText } from '../values/fold-text';

/** How a view's filters and sorts read a cell: as text, a list, a number or a calendar day. */

export const DAY = 86_400_000;
export const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const isFormulaError = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A cell as text for comparisons: lists joined, errors and blanks empty. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined || isFormulaError(v)) return '';
  if (Array.isArray(v)) return v.map((x) => (x === null ? '' : String(x))).join(', ');
  if (typeof v === 'boolean') return v ? '1' : '';
  return String(v);
}

/**
 * A text folded for comparison (lower case, NFC), remembering the last one: a view's conditions on one
 * field each folded the same cell, and folding (not searching) was most of the work of a filter on long text.
 */
let lastRaw = '';
let lastLowered = '';
export function folded(text: string): string {
  if (text !== lastRaw) {
    lastRaw = text;
    lastLowered = foldText(text);
  }
  return lastLowered;
}

export function cellList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== '').map(String);
  if (v === null || v === undefined || v === '' || isFormulaError(v)) return [];
  return [String(v)];
}

export const cellNumber = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/** A checkbox, or a true/false formula (stored as 1/0; as true/false before it was recomputed). */
export const isTicked = (v: unknown): boolean =>
  v === true || (typeof v === 'number' && v !== 0 && !Number.isNaN(v));

export function isBlankCell(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    v === '' ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    isFormulaError(v)
  );
}

/** The calendar day (days since 1970-01-01) a cell falls on, in the context's time zone. */
export function dayOf(v: unknown, tz: string | null | undefined): number | null {
  if (typeof v !== 'string') return null;
  const m = DATE_ONLY.exec(v);
  if (m) return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return null;
  return Math.floor((ms + zoneOffset(tz, ms) * 60_000) / DAY);
}
