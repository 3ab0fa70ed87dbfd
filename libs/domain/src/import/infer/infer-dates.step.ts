import { parseDateText, parseDateTimeText } from '../airtable-values';
import { DEFAULT_FORMAT } from '../column-format';
import { type ColumnInference } from '../infer-column';
import { scanDates } from './column-survey';
import { type Inference } from './inference';

const DATE_START =
  /^(\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|[A-Za-z]{3,9}\.?\s+\d|\d{1,2}(st|nd|rd|th)?\s+[A-Za-z]{3})/;

/**
 * Dates and date-times, with the day/month order settled by the values themselves. Slash dates that
 * need both orders are reported (confidence 0.3, no order), never guessed.
 */
export function inferDates(c: Inference): ColumnInference | null {
  if (!DATE_START.test(c.first)) return null;
  const { dayFirst, monthFirst, slashDates, withTime } = scanDates(
    c.values,
    c.survey.present,
    c.lineOf,
  );
  if (dayFirst && monthFirst) {
    const anyOrder = (v: string) =>
      (withTime
        ? (parseDateTimeText(v, 'mdy') ?? parseDateTimeText(v, 'dmy'))
        : (parseDateText(v, 'mdy') ?? parseDateText(v, 'dmy'))) !== null;
    if (!c.all(anyOrder)) return null;
    c.notes.push(
      `mixes day-first (${dayFirst.value}, line ${dayFirst.line}) and month-first (${monthFirst.value}, line ${monthFirst.line}) dates: choose the order, or import the column as text`,
    );
    return c.withErrors(
      c.result(withTime ? 'date_time' : 'date', 0.3, {
        format: { ...DEFAULT_FORMAT, date_order: null },
        date_ambiguity: { day_first: dayFirst, month_first: monthFirst },
      }),
    );
  }
  const order = dayFirst ? 'dmy' : 'mdy';
  const settled = !(slashDates && !dayFirst && !monthFirst);
  const type =
    withTime && c.all((v) => parseDateTimeText(v, order) !== null)
      ? 'date_time'
      : !withTime && c.all((v) => parseDateText(v, order) !== null)
        ? 'date'
        : null;
  if (!type) return null;
  if (!settled)
    c.notes.push(
      'every slash date has day and month of 12 or less: read month first (Airtable’s US format); choose day first if the file is European',
    );
  return c.withErrors(
    c.result(type, c.evidence * (settled ? 1 : 0.85), {
      format: { ...DEFAULT_FORMAT, date_order: order },
    }),
  );
}
