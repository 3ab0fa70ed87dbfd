import type { InferredType } from './infer-column';

const TYPE_NOUNS: Record<InferredType, string> = {
  text: 'text',
  long_text: 'text',
  number: 'numbers',
  currency: 'amounts in one currency',
  percent: 'percentages',
  date: 'dates',
  date_time: 'dates with a time',
  checkbox: 'Airtable checkboxes (checked or empty)',
  single_select: 'a few repeated values',
  multiple_select: 'lists of items joined by commas',
  email: 'email addresses',
  url: 'web addresses',
  phone: 'phone numbers',
  attachment: 'attachments (name (address))',
};

/** The confidence in words: how many values fit, and why the guess is less than sure. */
export function confidenceReason(
  type: InferredType,
  nonEmpty: number,
  checked: number,
  confidence: number,
  evidence: number,
): string {
  if (nonEmpty === 0) return 'no values to go by';
  const n = (x: number) => x.toLocaleString('en-US');
  const which =
    checked < nonEmpty
      ? `the first ${n(checked)} of ${n(nonEmpty)} values`
      : nonEmpty === 1
        ? 'the one value'
        : nonEmpty === 2
          ? 'both values'
          : `all ${n(nonEmpty)} values`;
  const fit =
    type === 'text' || type === 'long_text'
      ? `text keeps ${which} as written`
      : `${which} ${nonEmpty === 1 ? 'looks' : 'look'} like ${TYPE_NOUNS[type]}`;
  if (confidence >= 1) return fit;
  const why =
    evidence < 1
      ? 'few values to go by'
      : type === 'single_select' || type === 'multiple_select'
        ? 'could also be free text'
        : type === 'date' || type === 'date_time'
          ? 'the order of day and month is not certain'
          : 'not every value is a clear match';
  return `${fit}; ${why} (${Math.round(confidence * 100)}% sure)`;
}
