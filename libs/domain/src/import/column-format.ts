import { type DateOrder, type DecimalMark } from './airtable-values';

/** How the text of one column is read: the parts of a value that the text alone does not settle. */
export interface ColumnFormat {
  /** Slash dates: month first (Airtable's US format) or day first; null while a column is ambiguous. */
  date_order: DateOrder | null;
  decimal: DecimalMark;
  /** IANA zone for date-times written without one (Airtable writes them in the field's zone). */
  time_zone: string;
}

export const DEFAULT_FORMAT: ColumnFormat = { date_order: 'mdy', decimal: '.', time_zone: 'UTC' };

/** A header such as `Name (from Contacts)`: Airtable's lookup fields, imported as text by default. */
export const LOOKUP_HEADER = /^.+\s\(from\s.+\)$/;
