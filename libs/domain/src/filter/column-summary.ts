import { type FieldDefinition } from '@crm/events';
import { invalid } from '../errors';
import { byCurrency } from '../values/amount-currency';
import { isBlankCell, isTicked } from './cell-reading';
import { filterKind } from './view-config';

/**
 * The summary bar under a view: per column, one figure over the rows the view shows. The same
 * function serves the grid and anything on the server that reports a view, so both agree.
 */

export const SUMMARY_KINDS = [
  'filled',
  'empty',
  'percent_filled',
  'unique',
  'sum',
  'average',
  'min',
  'max',
] as const;
export type SummaryKind = (typeof SUMMARY_KINDS)[number];

/** field id → the summary picked for its column; columns without one show none. */
export type ViewSummaries = Record<string, SummaryKind>;

const COUNTS: readonly SummaryKind[] = ['filled', 'empty', 'percent_filled', 'unique'];
const NUMBERS: readonly SummaryKind[] = [...COUNTS, 'sum', 'average', 'min', 'max'];
const ARITHMETIC: readonly SummaryKind[] = ['sum', 'average', 'min', 'max'];
const DATES: readonly SummaryKind[] = [...COUNTS, 'min', 'max'];

/** The summaries that make sense for a field: arithmetic for numbers, earliest/latest for dates, counts for all. */
export function summaryKindsFor(
  field: Pick<FieldDefinition, 'type' | 'options'>,
): readonly SummaryKind[] {
  switch (filterKind(field)) {
    case 'number':
      return NUMBERS;
    case 'date':
      return DATES;
    case 'boolean':
      return ['filled', 'empty', 'percent_filled'];
    default:
      return COUNTS;
  }
}

export interface SummaryResult {
  kind: SummaryKind;
  /** A count, a ratio (0–1, for percent_filled), a number in the field's unit, a date as stored, or null when there is nothing to summarise. */
  value: number | string | null;
  /** How many rows it was computed over. */
  rows: number;
  /**
   * Amounts in more than one currency: the figure per currency (code → figure; '' for amounts of no
   * known currency), and `value` null, since no one number adds francs to dollars.
   */
  by_currency?: Record<string, number | null>;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Sums of amounts such as 0.1 + 0.2 read as 0.3, not 0.30000000000000004. */
const tidy = (n: number) => Number(n.toPrecision(15));
const keyOf = (v: unknown) =>
  Array.isArray(v)
    ? JSON.stringify([...v].map(String).sort())
    : typeof v === 'string'
      ? v.normalize('NFC').trim()
      : JSON.stringify(v);

/**
 * One column's summary over the values of the rows a view shows. Blank cells (empty text, empty
 * lists, unticked boxes, formula errors) count as empty; arithmetic skips them, as a spreadsheet does.
 * Given each value's currency (`currencies`), amounts in several are summarised per currency.
 */
export function summarise(
  values: readonly unknown[],
  field: Pick<FieldDefinition, 'type' | 'options'>,
  kind: SummaryKind,
  currencies?: readonly (string | null)[],
): SummaryResult {
  const rows = values.length;
  if (currencies && ARITHMETIC.includes(kind)) {
    const groups = byCurrency(values, currencies);
    if (groups.size > 1) {
      const by_currency: Record<string, number | null> = {};
      for (const [code, nums] of groups)
        by_currency[code] = summarise(nums, field, kind).value as number | null;
      return { kind, value: null, rows, by_currency };
    }
  }
  // A true/false formula's 0 is an unticked box, not a filled cell.
  const blank = filterKind(field) === 'boolean' ? (v: unknown) => !isTicked(v) : isBlankCell;
  const filled = values.filter((v) => !blank(v));
  switch (kind) {
    case 'filled':
      return { kind, value: filled.length, rows };
    case 'empty':
      return { kind, value: rows - filled.length, rows };
    case 'percent_filled':
      return { kind, value: rows ? filled.length / rows : null, rows };
    case 'unique':
      return { kind, value: new Set(filled.map(keyOf)).size, rows };
    case 'sum':
    case 'average': {
      const nums = filled.filter(isNumber);
      if (!nums.length) return { kind, value: kind === 'sum' ? 0 : null, rows };
      const sum = nums.reduce((a, b) => a + b, 0);
      return { kind, value: tidy(kind === 'sum' ? sum : sum / nums.length), rows };
    }
    case 'min':
    case 'max': {
      if (filterKind(field) === 'date') {
        const dates = filled.filter(
          (v): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
        );
        if (!dates.length) return { kind, value: null, rows };
        return {
          kind,
          value: dates.reduce((a, b) =>
            Date.parse(b) < Date.parse(a) === (kind === 'min') ? b : a,
          ),
          rows,
        };
      }
      const nums = filled.filter(isNumber);
      // A loop, not Math.min(...nums): a view may show more rows than a call takes arguments.
      return {
        kind,
        value: nums.length ? nums.reduce((a, b) => (b < a === (kind === 'min') ? b : a)) : null,
        rows,
      };
    }
  }
}

/**
 * Checks a view's `summaries` setting: an object of field id → a summary that fits the field.
 * Ids of fields since removed are dropped (layout outlives fields); anything else wrong is refused
 * with the path of the mistake.
 */
export function checkSummaries(
  raw: unknown,
  fields: ReadonlyMap<string, FieldDefinition>,
): ViewSummaries {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('summaries: must be an object of field id → summary', { field: 'summaries' });
  const out: ViewSummaries = {};
  for (const [id, kind] of Object.entries(raw as Record<string, unknown>)) {
    const field = fields.get(id);
    if (!field) continue;
    const fits = summaryKindsFor(field);
    if (!fits.includes(kind as SummaryKind)) {
      throw invalid(
        `summaries.${id}: ${JSON.stringify(kind)} does not fit field "${field.name}" (${field.type}); use one of ${fits.join(', ')}`,
        { field: `summaries.${id}`, reason: 'summary_does_not_fit', given: kind ?? null },
      );
    }
    out[id] = kind as SummaryKind;
  }
  return out;
}
