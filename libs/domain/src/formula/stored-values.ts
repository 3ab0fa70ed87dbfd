import { type FieldDefinition } from '@crm/events';
import { isoOf } from './dates/date-format';
import { parseDateText } from './dates/date-parse';
import { FDate, FError, type FormulaType, type FValue } from './types';
import { toNumberOrNull, toText, truthy, typeName } from './values';
import { type TeamDirectory } from '../values/user-value';

/**
 * Between the read models and the formula language: how a stored cell reads inside a formula, and
 * how a formula's value is stored.
 */

/** A record as a formula reads it: stored values, formula values, and the record's stamps. */
export interface FormulaRecord {
  id: string;
  values: Record<string, unknown>;
  /** Values of the record's formula fields (stored form: errors as `{ error }`, dates as ISO text). */
  computed?: Record<string, unknown>;
  created_at: string | null;
  created_by?: string | null;
  updated_at: string | null;
  updated_by?: string | null;
  /** When each cell last changed; absent cells changed last at creation. */
  cells?: Record<string, { at: string }>;
  /** The team, for people fields, which read as the people's names (ids without it). */
  team?: TeamDirectory;
}

/** A formula value as the read models and the API hold it. */
export type StoredFormulaValue =
  null | number | string | boolean | { error: string } | (string | number | boolean | null)[];

export const isStoredError = (v: unknown): v is { error: string } =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  typeof (v as { error?: unknown }).error === 'string';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** How a stored cell of a field reads inside a formula. */
export function cellToFormulaValue(
  field: Pick<FieldDefinition, 'type' | 'options'>,
  raw: unknown,
): FValue {
  if (raw === undefined || raw === null) return null;
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent':
      return typeof raw === 'number' ? raw : null;
    case 'date': {
      if (typeof raw !== 'string') return null;
      const m = DATE_ONLY.exec(raw);
      return m ? new FDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    }
    case 'date_time':
    case 'created_time':
    case 'last_modified_time': {
      const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
      return Number.isNaN(ms) ? null : new FDate(ms);
    }
    // An unticked box is empty, as in Airtable: {Done} & "" is "".
    case 'checkbox':
      return raw === true ? true : null;
    case 'multiple_select':
    case 'link':
      return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : null;
    case 'formula':
    case 'lookup':
    case 'rollup':
    case 'count':
      return storedToFormulaValue(raw, field.options?.result_type as FormulaType | undefined);
    default:
      return typeof raw === 'string'
        ? raw
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? raw
          : null;
  }
}

export function storedToFormulaValue(raw: unknown, type: FormulaType | undefined): FValue {
  if (raw === undefined || raw === null) return null;
  if (isStoredError(raw)) return new FError(raw.error);
  // A true/false formula is stored as 1/0 (as Airtable shows it) and reads as true/false again.
  if (type === 'boolean' && typeof raw === 'number') return raw !== 0;
  if (type === 'date' && typeof raw === 'string') {
    const ms = Date.parse(raw);
    return Number.isNaN(ms) ? raw : new FDate(ms);
  }
  if (Array.isArray(raw))
    return raw.map((x) =>
      x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'
        ? x
        : null,
    );
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return null;
}

/** A formula's value in its stored form, converted to the formula's result type. */
export function toStoredValue(v: FValue, type: FormulaType): StoredFormulaValue {
  if (v instanceof FError) return { error: v.message };
  if (v === null) return null;
  switch (type) {
    case 'blank':
      return null;
    case 'number': {
      const n = toNumberOrNull(v);
      if (n === null) return { error: `the result is ${typeName(v)}, not a number` };
      if (!Number.isFinite(n)) return { error: 'the result is not a finite number' };
      return Object.is(n, -0) ? 0 : n;
    }
    // Airtable shows a comparison, AND(), REGEX_MATCH()… as 1 or 0; the field's value is that number.
    case 'boolean':
      return truthy(v) ? 1 : 0;
    case 'date': {
      if (v instanceof FDate) return isoOf(v.ms) || { error: 'the result is not a valid date' };
      const ms = typeof v === 'string' ? parseDateText(v) : null;
      return ms === null ? { error: `the result is ${typeName(v)}, not a date` } : isoOf(ms);
    }
    case 'array': {
      const list = Array.isArray(v) ? v : [v];
      const out: (string | number | boolean | null)[] = [];
      for (const x of list.flat(8) as FValue[]) {
        if (x instanceof FError) return { error: x.message };
        out.push(
          x === null || typeof x === 'string' || typeof x === 'boolean'
            ? x
            : typeof x === 'number'
              ? Number.isFinite(x)
                ? x
                : null
              : toText(x),
        );
      }
      return out;
    }
    default: {
      const s = toText(v);
      return s === '' ? null : s;
    }
  }
}
