import { LOOKUP_HEADER, type ColumnFormat } from './column-format';
import { type ColumnSurvey, survey } from './infer/column-survey';
import { inferAmounts } from './infer/infer-amounts.step';
import { inferDates } from './infer/infer-dates.step';
import {
  inferAttachments,
  inferCheckbox,
  inferContacts,
  inferSelects,
} from './infer/infer-kinds.step';
import { Inference } from './infer/inference';

export { type ColumnSurvey, surveyColumns } from './infer/column-survey';

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

export interface InferOptions {
  /**
   * Check types against the first this-many values only (dates are still scanned whole for their
   * order). The caller must then verify the guess on every value, as the import plan does.
   */
  sample?: number;
  /** The column's survey, when surveyColumns made it with the others. */
  survey?: ColumnSurvey;
}

/**
 * Guesses a column's type from all of its values. A type is chosen only when every non-empty value
 * fits it, so no cell is altered by the guess; a column that nearly fits says so in its notes and is
 * text. Slash dates that need both day-first and month-first readings are reported, never guessed.
 */
export function inferColumn(
  header: string,
  values: readonly string[],
  lines?: readonly number[],
  opts: InferOptions = {},
): ColumnInference {
  const lineOf = (i: number) => (lines ? lines[i] : i + 2);
  const c = new Inference(header, values, opts.survey ?? survey(values), lineOf, opts);
  if (c.nonEmpty === 0) {
    if (c.survey.formulaErrors)
      c.notes.push(`holds only formula errors (${c.survey.formulaErrors}); imported as empty`);
    return c.result('text', 0, { notes: [...c.notes, 'empty column'] });
  }
  if (LOOKUP_HEADER.test(header)) {
    c.notes.push('a lookup of another table (“… (from …)”): imported as text');
    return c.result(c.textType(), 1);
  }
  return (
    inferCheckbox(c) ??
    inferAttachments(c) ??
    inferDates(c) ??
    inferAmounts(c) ??
    inferContacts(c) ??
    inferSelects(c) ??
    c.withErrors(c.result(c.textType(), c.evidence))
  );
}
