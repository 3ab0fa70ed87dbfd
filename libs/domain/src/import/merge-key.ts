import { type CellValue, type FieldDefinition } from '@crm/events';

const UNIT = '\u001f';
const RECORD = '\u001e';

/** NUL is left out: the export cannot write one (a value stored before NUL was refused still matches its exported text). */
// eslint-disable-next-line no-control-regex -- NUL is the character this pattern exists to remove
const NUL = /\u0000/g;
const comparable = (s: string) =>
  (s.indexOf('\u0000') === -1 ? s : s.replace(NUL, '')).normalize('NFC').trim();

/**
 * The comparable form of one merge-key value, or null when it is empty. Text compares after Unicode
 * normalisation (NFC) and trimming, so an NFD "é" typed on a Mac matches an NFC one; email ignores case.
 */
export function keyPart(field: FieldDefinition, value: CellValue | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return value.map((x) => (typeof x === 'string' ? comparable(x) : JSON.stringify(x))).join(UNIT);
  }
  if (typeof value === 'string') {
    const s = comparable(value);
    if (s === '') return null;
    return field.type === 'email' ? s.toLowerCase() : s;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Stands for an empty part: no part holds it, as NUL is left out of every part. */
const EMPTY_PART = '\u0000';

/**
 * The whole key of a row or record; null when every part is empty (such a row could never be
 * matched again). An empty part is a value of the key like any other: with the key (Name, Startups),
 * a row “Acme” with no Startups matches the record “Acme” whose Startups is empty too, and only it.
 */
export function mergeKey(
  fields: readonly FieldDefinition[],
  values: readonly (CellValue | undefined)[],
): string | null {
  let out = '';
  let filled = false;
  for (let i = 0; i < fields.length; i++) {
    const part = keyPart(fields[i], values[i]);
    if (part !== null) filled = true;
    out += (i === 0 ? '' : RECORD) + (part ?? EMPTY_PART);
  }
  return filled ? out : null;
}

/** Field types that make a poor merge key (a box, a list of files, paragraphs of text). */
export const UNSUITABLE_KEY_TYPES = new Set([
  'checkbox',
  'attachment',
  'long_text',
  'multiple_select',
  'created_time',
  'last_modified_time',
  'created_by',
  'last_modified_by',
]);
