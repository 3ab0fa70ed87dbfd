import { type CellValue, type FieldDefinition } from '@crm/events';
import { joinAirtableList } from '../import/airtable-list';
import { type AttachmentValue, formatAttachments } from '../import/attachments';
import { guardFormula } from './formula-guard';

/** What formatting needs beyond the field: how to write a linked record and a person. */
export interface FormatContext {
  /** The text a linked record is written as (its primary field), or undefined when unknown. */
  linkText(recordId: string): string | undefined;
  actorName(actorId: string): string;
}

const precisionOf = (f: FieldDefinition, fallback: number) =>
  typeof f.options.precision === 'number' ? f.options.precision : fallback;

/** Digits after the point that a number needs to be written exactly. */
function decimalsNeeded(n: number): number {
  const s = String(n);
  if (/e/i.test(s)) return -1;
  const i = s.indexOf('.');
  return i === -1 ? 0 : s.length - i - 1;
}

/** At least `precision` decimals, more when the value has them: formatting never rounds a value away. */
function fixed(n: number, precision: number): string {
  const need = decimalsNeeded(n);
  if (need < 0) return String(n);
  return n.toFixed(Math.min(20, Math.max(precision, need)));
}

function grouped(digits: string): string {
  const [int, frac] = digits.split('.');
  const withCommas = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? withCommas : `${withCommas}.${frac}`;
}

/**
 * A cell as text, the way it reads back: plain numbers without separators, currency like Airtable
 * (`$1,000,000.00`), percent with a sign, ISO dates, `checked`, lists with Airtable's quoting,
 * attachments as `name (url)`. No formula guard; see csvCellText.
 */
export function formatCellText(
  field: FieldDefinition,
  value: CellValue | undefined,
  ctx: FormatContext,
): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? fixed(value, precisionOf(field, 0)) : String(value);
    case 'currency': {
      if (typeof value !== 'number') return String(value);
      // A field naming its currency by code is written with it (CHF 1,250.00): a file has no locale.
      const symbol =
        typeof field.options.symbol === 'string'
          ? field.options.symbol
          : typeof field.options.currency === 'string'
            ? `${field.options.currency} `
            : '$';
      const body = fixed(Math.abs(value), precisionOf(field, 2));
      return `${value < 0 ? '-' : ''}${symbol}${/e/i.test(body) ? body : grouped(body)}`;
    }
    case 'percent':
      return typeof value === 'number'
        ? `${Number((value * 100).toPrecision(15))}%`
        : String(value);
    case 'checkbox':
      return value === true ? 'checked' : '';
    case 'multiple_select':
      return Array.isArray(value) ? joinAirtableList(value as string[]) : String(value);
    case 'link':
      return Array.isArray(value)
        ? joinAirtableList((value as string[]).map((id) => ctx.linkText(id) ?? id))
        : '';
    case 'attachment':
      return Array.isArray(value) ? formatAttachments(value as unknown as AttachmentValue[]) : '';
    case 'created_by':
    case 'last_modified_by':
      return typeof value === 'string' ? ctx.actorName(value) : '';
    case 'follow_up':
      return field.options.value === 'last_contacted_by' && typeof value === 'string'
        ? ctx.actorName(value)
        : String(value);
    // People by name, in Airtable's list form (a disabled member keeps their name).
    case 'user':
      return Array.isArray(value)
        ? joinAirtableList((value as string[]).map((id) => ctx.actorName(id)))
        : '';
    case 'formula':
      // A true/false formula exports as 1/0, as Airtable's does (also a value stored before 1/0).
      if (typeof value === 'boolean') return value ? '1' : '0';
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** Types whose text the export writes itself from a number, date or flag: never a formula, never guarded. */
const SAFE_TYPES = new Set([
  'number',
  'currency',
  'percent',
  'date',
  'date_time',
  'checkbox',
  'created_time',
  'last_modified_time',
]);

/**
 * The text of a CSV cell: formatCellText, with the formula guard on any text a person could have
 * typed. Numbers stay numbers: a negative amount is not text that starts with "-".
 */
export function csvCellText(
  field: FieldDefinition,
  value: CellValue | undefined,
  ctx: FormatContext,
): string {
  const text = formatCellText(field, value, ctx);
  if (!SAFE_TYPES.has(field.type)) return guardFormula(text);
  // A stored value of the wrong shape (text in a number field) is guarded like any text.
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}/.test(value)) return guardFormula(text);
  return text;
}
