import { CellValue, FieldDefinition } from '@crm/events';

const UNIT = '\u001f';
const RECORD = '\u001e';

/**
 * The comparable form of one merge-key value, or null when it is empty. Text compares after Unicode
 * normalisation (NFC) and trimming, so an NFD "é" typed on a Mac matches an NFC one; email ignores case.
 */
export function keyPart(field: FieldDefinition, value: CellValue | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return value.map((x) => (typeof x === 'string' ? x.normalize('NFC').trim() : JSON.stringify(x))).join(UNIT);
  }
  if (typeof value === 'string') {
    const s = value.normalize('NFC').trim();
    if (s === '') return null;
    return field.type === 'email' ? s.toLowerCase() : s;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The whole key of a row or record; null when any part is empty (such a row cannot be matched). */
export function mergeKey(fields: readonly FieldDefinition[], values: readonly (CellValue | undefined)[]): string | null {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const part = keyPart(fields[i], values[i]);
    if (part === null) return null;
    out += i === 0 ? part : RECORD + part;
  }
  return out;
}

/** Field types that make a poor merge key (a box, a list of files, paragraphs of text). */
export const UNSUITABLE_KEY_TYPES = new Set(['checkbox', 'attachment', 'long_text', 'multiple_select', 'created_time', 'last_modified_time', 'created_by', 'last_modified_by']);
