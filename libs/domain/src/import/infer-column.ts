import { type FieldDefinition } from '@crm/events';
import { DomainError } from '../errors';
import { normalizeCell } from '../values/normalize';
import {
  type DecimalMark,
  FORMULA_ERRORS,
  hasTimeOfDay,
  parseCheckbox,
  parseCurrency,
  parseDateText,
  parseDateTimeText,
  parseNumberText,
  parsePercent,
  slashDateParts,
} from './airtable-values';
import { parseAttachments } from './attachments';
import { type ColumnFormat, DEFAULT_FORMAT, LOOKUP_HEADER } from './column-format';
import { confidenceReason } from './confidence-reason';
import { countListItems, looksLikeList } from './infer-list';

export type InferredType =
  | 'text'
  | 'long_text'
  | 'number'
  | 'currency'
  | 'percent'
  | 'date'
  | 'date_time'
  | 'checkbox'
  | 'single_select'
  | 'multiple_select'
  | 'email'
  | 'url'
  | 'phone'
  | 'attachment';

export interface DateAmbiguity {
  /** A value only a day-first reading allows, and its line. */
  day_first: { value: string; line: number };
  month_first: { value: string; line: number };
}

export interface ColumnInference {
  inferred_type: InferredType;
  /**
   * 0 to 1: how sure the guess is. A type is guessed only when every value fits it, so this is not a
   * share of values: it is lower when there are few values to go by (1 value: 0.7, 5 or more: 1), when
   * dates could be read day first or month first, and for selects, whose values might be free text.
   */
  confidence: number;
  /** The confidence in words, for people: “all 4 values look like web addresses; few values to go by”. */
  confidence_reason: string;
  /** Up to five distinct non-empty values, as written, from the first 5,000. */
  samples: string[];
  format: ColumnFormat;
  /** Options a new field of the inferred type starts with (currency symbol, precision). */
  options: Record<string, unknown>;
  non_empty: number;
  /** Set when slash dates in the column need day-first for some values and month-first for others. */
  date_ambiguity: DateAmbiguity | null;
  /** Plain-language remarks shown beside the column in the preview. */
  notes: string[];
}

const probe = (type: string): FieldDefinition => ({
  id: 'probe',
  name: 'probe',
  type,
  options: {},
  role: null,
});
const EMAIL_FIELD = probe('email');
const PHONE_FIELD = probe('phone');

function accepts(field: FieldDefinition, value: string): boolean {
  try {
    normalizeCell(field, value);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

/** Formula errors are short and start with N, I, -, or #: skip the set for everything else. */
const isFormulaError = (v: string) =>
  v.length <= 12 &&
  (v[0] === '#' || v[0] === 'N' || v[0] === 'I' || v[0] === '-' || v[0] === ' ') &&
  FORMULA_ERRORS.has(v.trim());

const URLISH =
  /^(https?:\/\/[^\s]+|www\.[^\s]+\.[a-z]{2,}[^\s]*|[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s]*)$/i;
const LEADING_ZERO = /^[+]|^0\d/;
const decimalsOf = (text: string, mark: DecimalMark) => {
  const i = text.lastIndexOf(mark);
  return i === -1 ? 0 : (/^\d+/.exec(text.slice(i + 1))?.[0].length ?? 0);
};

/**
 * Guesses a column's type from all of its values. A type is chosen only when every non-empty value
 * fits it, so no cell is altered by the guess; a column that nearly fits says so in its notes and is
 * text. Slash dates that need both day-first and month-first readings are reported, never guessed.
 */
export interface InferOptions {
  /**
   * Check types against the first this-many values only (dates are still scanned whole for their
   * order). The caller must then verify the guess on every value, as the import plan does.
   */
  sample?: number;
  /** The column's survey, when surveyColumns made it with the others. */
  survey?: ColumnSurvey;
}

/*
 * The loops over a column's values are small functions of their own: each is optimised after a few
 * columns and stays so, where loops inside inferColumn, which takes a different branch for each kind
 * of column, would run unoptimised for the first several files.
 */

/** What inferColumn reads of a column before it tries types: made by surveyColumns, or by inferColumn itself. */
export interface ColumnSurvey {
  /** Positions of the values that count; every check stops at its first misfit. */
  present: number[];
  formulaErrors: number;
  multiline: boolean;
  longest: number;
  samples: string[];
  /** Distinct samples so far (dropped once five are found). */
  seen: Set<string> | null;
}

/** Samples are looked for among the first this-many values: a column of two values is not searched to its end for a third. */
const SAMPLE_SEARCH = 5_000;

const emptySurvey = (): ColumnSurvey => ({
  present: [],
  formulaErrors: 0,
  multiline: false,
  longest: 0,
  samples: [],
  seen: new Set(),
});

/** Adds the value at position i to a column's survey. */
function surveyValue(s: ColumnSurvey, v: string, i: number): void {
  if (v === '') return;
  if (isFormulaError(v)) {
    s.formulaErrors++;
    return;
  }
  s.present.push(i);
  if (v.length > s.longest) s.longest = v.length;
  if (!s.multiline && (v.indexOf('\n') !== -1 || v.indexOf('\r') !== -1)) s.multiline = true;
  if (s.seen !== null && s.present.length <= SAMPLE_SEARCH && !s.seen.has(v)) {
    s.seen.add(v);
    s.samples.push(v.length > 120 ? `${v.slice(0, 120)}…` : v);
    if (s.samples.length === 5) s.seen = null;
  }
}

function survey(values: readonly string[]): ColumnSurvey {
  const s = emptySurvey();
  for (let i = 0; i < values.length; i++) surveyValue(s, values[i], i);
  return s;
}

interface DateScan {
  dayFirst: DateAmbiguity['day_first'] | null;
  monthFirst: DateAmbiguity['month_first'] | null;
  slashDates: number;
  withTime: boolean;
}

/** Which day/month orders the slash dates allow, and whether any value has a time of day. */
function scanDates(
  values: readonly string[],
  present: readonly number[],
  lineOf: (i: number) => number,
): DateScan {
  const scan: DateScan = { dayFirst: null, monthFirst: null, slashDates: 0, withTime: false };
  for (const i of present) {
    const v = values[i];
    if (!scan.withTime && hasTimeOfDay(v)) scan.withTime = true;
    const parts = slashDateParts(v);
    if (!parts) continue;
    scan.slashDates++;
    if (parts[0] > 12 && parts[1] <= 12 && !scan.dayFirst)
      scan.dayFirst = { value: v, line: lineOf(i) };
    if (parts[1] > 12 && parts[0] <= 12 && !scan.monthFirst)
      scan.monthFirst = { value: v, line: lineOf(i) };
  }
  return scan;
}

/** Whole values and their counts, stopping once there are too many to be choices. */
function countWholeValues(
  values: readonly string[],
  present: readonly number[],
): { whole: Map<string, number>; hasComma: boolean } {
  const whole = new Map<string, number>();
  let hasComma = false;
  for (const i of present) {
    const v = values[i];
    if (!hasComma && v.indexOf(',') !== -1) hasComma = true;
    const k = v.trim();
    whole.set(k, (whole.get(k) ?? 0) + 1);
    if (whole.size > 50 && (hasComma || whole.size > 200)) break;
  }
  return { whole, hasComma };
}

/**
 * The values of each column and their surveys, in one pass over the rows (a missing cell is empty):
 * what inferColumn takes, for every column of a file. Row by row, each row's cells are read where
 * they lie together in memory, about twice as fast as a pass down each column.
 */
export function surveyColumns(
  rows: readonly { cells: readonly string[] }[],
  width: number,
): { values: string[][]; surveys: ColumnSurvey[] } {
  const values: string[][] = [];
  const surveys: ColumnSurvey[] = [];
  for (let j = 0; j < width; j++) {
    values.push(new Array<string>(rows.length));
    surveys.push(emptySurvey());
  }
  for (let i = 0; i < rows.length; i++) surveyRow(rows[i].cells, i, values, surveys);
  return { values, surveys };
}

function surveyRow(
  cells: readonly string[],
  i: number,
  values: string[][],
  surveys: ColumnSurvey[],
): void {
  for (let j = 0; j < values.length; j++) {
    const v = cells[j] ?? '';
    values[j][i] = v;
    surveyValue(surveys[j], v, i);
  }
}

const YEAR_HEADER = /\b(year|vintage|founded|established|since|fy)\b/i;
const YEAR_VALUE = /^(1[89]|2[01])\d\d$/;

export function inferColumn(
  header: string,
  values: readonly string[],
  lines?: readonly number[],
  opts: InferOptions = {},
): ColumnInference {
  const notes: string[] = [];
  const lineOf = (i: number) => (lines ? lines[i] : i + 2);
  const { present, formulaErrors, multiline, longest, samples } = opts.survey ?? survey(values);
  const nonEmpty = present.length;
  // More values, more certainty: 1 value → 0.7, 5 or more → 1.
  const evidence = Math.min(1, 0.625 + 0.075 * nonEmpty);
  const sampled = opts.sample !== undefined && nonEmpty > opts.sample ? opts.sample : nonEmpty;
  const result = (
    inferred_type: InferredType,
    confidence: number,
    extra: Partial<ColumnInference> = {},
  ): ColumnInference => {
    const rounded = Math.round(confidence * 100) / 100;
    return {
      inferred_type,
      confidence: rounded,
      confidence_reason: confidenceReason(inferred_type, nonEmpty, sampled, rounded, evidence),
      samples,
      format: { ...DEFAULT_FORMAT },
      options: {},
      non_empty: nonEmpty,
      date_ambiguity: null,
      notes,
      ...extra,
    };
  };
  const textType = (): InferredType => (multiline || longest > 255 ? 'long_text' : 'text');

  if (nonEmpty === 0) {
    if (formulaErrors)
      notes.push(`holds only formula errors (${formulaErrors}); imported as empty`);
    return result('text', 0, { notes: [...notes, 'empty column'] });
  }
  if (LOOKUP_HEADER.test(header)) {
    notes.push('a lookup of another table (“… (from …)”): imported as text');
    return result(textType(), 1);
  }

  const checked =
    opts.sample !== undefined && present.length > opts.sample
      ? present.slice(0, opts.sample)
      : present;
  const all = (test: (v: string) => boolean) => {
    for (const i of checked) if (!test(values[i])) return false;
    return true;
  };
  /** The share of values that pass, or 0 as soon as more than a tenth fail (it only matters near 1). */
  const nearShare = (test: (v: string) => boolean) => {
    let fails = 0;
    const budget = Math.floor(checked.length / 10);
    for (const i of checked) if (!test(values[i]) && ++fails > budget) return 0;
    return (checked.length - fails) / checked.length;
  };
  const first = values[present[0]].trim();
  const withErrors = (r: ColumnInference) => {
    if (formulaErrors)
      r.notes.push(`${formulaErrors} formula error value(s) (NaN, #ERROR!) are imported as empty`);
    return r;
  };

  // Checkbox: Airtable writes `checked` or nothing. An empty cell is an unticked box, so every row is evidence.
  const boxEvidence = Math.min(1, 0.625 + 0.075 * values.length);
  if (parseCheckbox(first) !== null) {
    // Said of every row, empty ones included.
    const box = (confidence: number) =>
      result('checkbox', confidence, {
        confidence_reason: confidenceReason(
          'checkbox',
          values.length,
          values.length,
          Math.round(confidence * 100) / 100,
          boxEvidence,
        ),
      });
    if (all((v) => v.trim().toLowerCase() === 'checked')) return box(boxEvidence);
    if (all((v) => parseCheckbox(v) !== null && !/^[01]$/.test(v.trim())))
      return box(0.9 * boxEvidence);
  }

  if (first.includes(' (http') && all((v) => parseAttachments(v) !== null)) {
    notes.push('attachments: file names and addresses are kept; the files are not downloaded');
    return result('attachment', evidence);
  }

  // Dates and date-times, with the day/month order settled by the values themselves.
  if (
    /^(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|[A-Za-z]{3,9}\.?\s+\d|\d{1,2}(st|nd|rd|th)?\s+[A-Za-z]{3})/.test(
      first,
    )
  ) {
    const { dayFirst, monthFirst, slashDates, withTime } = scanDates(values, present, lineOf);
    if (dayFirst && monthFirst) {
      const anyOrder = (v: string) =>
        (withTime
          ? (parseDateTimeText(v, 'mdy') ?? parseDateTimeText(v, 'dmy'))
          : (parseDateText(v, 'mdy') ?? parseDateText(v, 'dmy'))) !== null;
      if (all(anyOrder)) {
        notes.push(
          `mixes day-first (${dayFirst.value}, line ${dayFirst.line}) and month-first (${monthFirst.value}, line ${monthFirst.line}) dates: choose the order, or import the column as text`,
        );
        return withErrors(
          result(withTime ? 'date_time' : 'date', 0.3, {
            format: { ...DEFAULT_FORMAT, date_order: null },
            date_ambiguity: { day_first: dayFirst, month_first: monthFirst },
          }),
        );
      }
    } else {
      const order = dayFirst ? 'dmy' : 'mdy';
      const settled = !(slashDates && !dayFirst && !monthFirst);
      const type =
        withTime && all((v) => parseDateTimeText(v, order) !== null)
          ? 'date_time'
          : !withTime && all((v) => parseDateText(v, order) !== null)
            ? 'date'
            : null;
      if (type) {
        if (!settled)
          notes.push(
            'every slash date has day and month of 12 or less: read month first (Airtable’s US format); choose day first if the file is European',
          );
        return withErrors(
          result(type, evidence * (settled ? 1 : 0.85), {
            format: { ...DEFAULT_FORMAT, date_order: order },
          }),
        );
      }
    }
  }

  // Amounts: currency (one symbol), percent, plain numbers with a decimal point or comma.
  const numeric = /^[-−(+]?\s*(\d|[^\s\d]{1,4}\s*\d|[.,]\d)/.test(first);
  const noLeadingZero =
    numeric && all((v) => !LEADING_ZERO.test(v.trim()) || /^0[.,]\d/.test(v.trim()));
  if (noLeadingZero) {
    for (const decimal of ['.', ','] as const) {
      const symbols = new Set<string>();
      if (
        all((v) => {
          const c = parseCurrency(v, decimal);
          if (c) symbols.add(c.symbol);
          return c !== null;
        })
      ) {
        if (symbols.size === 1) {
          const precision = Math.min(
            8,
            Math.max(...checked.map((i) => decimalsOf(values[i], decimal))),
          );
          if (decimal === ',') notes.push('decimal comma');
          return withErrors(
            result('currency', evidence, {
              format: { ...DEFAULT_FORMAT, decimal },
              options: { symbol: [...symbols][0], precision },
            }),
          );
        }
        notes.push(`amounts in several currencies (${[...symbols].join(', ')}): imported as text`);
        return withErrors(result(textType(), 0.5 * evidence));
      }
    }
    for (const decimal of ['.', ','] as const) {
      if (all((v) => parsePercent(v, decimal) !== null)) {
        const precision = Math.min(
          8,
          Math.max(...checked.map((i) => decimalsOf(values[i].replace('%', ''), decimal))),
        );
        return withErrors(
          result('percent', evidence, {
            format: { ...DEFAULT_FORMAT, decimal },
            options: { precision },
          }),
        );
      }
    }
    const point = all((v) => parseNumberText(v, '.') !== null);
    const comma =
      !point || checked.some((i) => /^\d{1,3}(,\d{3})+$/.test(values[i].trim()))
        ? all((v) => parseNumberText(v, ',') !== null)
        : false;
    if (point || comma) {
      // Both readings fit only when no value has a decimal part (or all are like 1,234): prefer the point.
      const decimal: DecimalMark = point ? '.' : ',';
      if (point && comma)
        notes.push('1,234 is read as one thousand two hundred thirty-four (decimal point)');
      if (decimal === ',') notes.push('decimal comma');
      const precision = Math.min(
        8,
        Math.max(...checked.map((i) => decimalsOf(values[i], decimal))),
      );
      // A column of years (Vintage, Year founded) shows 2026, not 2,026.
      const years = YEAR_HEADER.test(header) && all((v) => YEAR_VALUE.test(v.trim()));
      if (years) notes.push('years: shown without a thousands separator');
      return withErrors(
        result('number', evidence, {
          format: { ...DEFAULT_FORMAT, decimal },
          options: years ? { precision, thousands_separator: false } : { precision },
        }),
      );
    }
    const near = Math.max(
      nearShare((v) => parseNumberText(v, '.') !== null),
      nearShare((v) => parseNumberText(v, ',') !== null),
    );
    if (near >= 0.9)
      notes.push(
        `${Math.round(near * 100)}% of the values are numbers; imported as text so that none is lost`,
      );
  }

  if (all((v) => accepts(EMAIL_FIELD, v.trim()))) return withErrors(result('email', evidence));
  if (all((v) => URLISH.test(v.trim()))) return withErrors(result('url', evidence));
  if (
    all(
      (v) =>
        accepts(PHONE_FIELD, v.trim()) &&
        v.replace(/\D/g, '').length >= 7 &&
        (/[^\d]/.test(v.trim()) || LEADING_ZERO.test(v.trim())),
    )
  ) {
    notes.push('phone numbers are kept as written (leading zeros and + intact)');
    return withErrors(result('phone', evidence));
  }

  if (!multiline) {
    // Selects: a small vocabulary that repeats. Several items per cell make it a multiple select.
    // Whole values first: a single select has few of them, and no commas.
    const { whole, hasComma } = countWholeValues(values, present);
    if (
      longest <= 255 &&
      !hasComma &&
      whole.size <= 50 &&
      present.length >= 4 &&
      present.length >= 2 * whole.size &&
      ![...whole.keys()].some((k) => k.length > 100)
    ) {
      return withErrors(
        result(
          'single_select',
          Math.min(0.9, 0.5 + 0.05 * (present.length / whole.size)) * evidence,
        ),
      );
    }
    // Lists are read from the sampled values (the plan checks the rest): a long list column costs no more than a short one.
    if (hasComma) {
      const list = countListItems(values, checked);
      if (looksLikeList(list, checked.length)) {
        notes.push(
          list.distinct > 50 || list.items < 2 * list.distinct
            ? `${list.distinct.toLocaleString('en-US')} distinct names, up to ${list.most} in a cell: these look like linked records — choose “New link to …” a table to link them, or keep them as a multiple select`
            : `${list.distinct} distinct options; could also be linked records — map it to a link field to link them`,
        );
        return withErrors(
          result(
            'multiple_select',
            Math.min(0.9, 0.5 + 0.05 * (list.items / list.distinct)) * evidence,
          ),
        );
      }
    }
  }
  return withErrors(result(textType(), evidence));
}
