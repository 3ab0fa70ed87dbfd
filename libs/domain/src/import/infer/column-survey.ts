import { FORMULA_ERRORS, hasTimeOfDay, slashDateParts } from '../airtable-values';
import { type DateAmbiguity } from '../infer-column';

/** Formula errors are short and start with N, I, -, or #: skip the set for everything else. */
const isFormulaError = (v: string) =>
  v.length <= 12 &&
  (v[0] === '#' || v[0] === 'N' || v[0] === 'I' || v[0] === '-' || v[0] === ' ') &&
  FORMULA_ERRORS.has(v.trim());

// Each loop over a column's values is a small function, optimised after a few columns (the first-import row of bench/import.bench.js).

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

export function survey(values: readonly string[]): ColumnSurvey {
  const s = emptySurvey();
  for (let i = 0; i < values.length; i++) surveyValue(s, values[i], i);
  return s;
}

export interface DateScan {
  dayFirst: DateAmbiguity['day_first'] | null;
  monthFirst: DateAmbiguity['month_first'] | null;
  slashDates: number;
  withTime: boolean;
}

/** Which day/month orders the slash dates allow, and whether any value has a time of day. */
export function scanDates(
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
export function countWholeValues(
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
