import { type CellValue, type FieldDefinition } from '@crm/events';
import { invalid } from '../errors';
import { codePointLength, LIMITS } from './limits';
import { normalizeUserValue } from './user-value';

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/u;
const PHONE = /^\+?[0-9 ().\-/]{3,40}(\s*(x|ext\.?)\s*[0-9]{1,8})?$/iu;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function fail(field: FieldDefinition, given: unknown, expected: string): never {
  throw invalid(
    `field "${field.name}" (${field.type}) expects ${expected}; got ${describe(given)}`,
    {
      field_id: field.id,
      field: field.name,
      type: field.type,
      given: typeof given === 'string' && given.length > 80 ? `${given.slice(0, 80)}…` : given,
    },
  );
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return v.length > 40 ? `text "${v.slice(0, 40)}…"` : `text "${v}"`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

export function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * NUL (U+0000) is refused in every text a person can write: no spreadsheet keeps it, and the CSV
 * import refuses a file that holds one (as binary), so a NUL could never go out and come back.
 */
export function refuseNul(text: string, details: Record<string, unknown>, what: string): void {
  if (text.indexOf('\u0000') !== -1)
    throw invalid(`${what} cannot hold a NUL character (U+0000)`, {
      ...details,
      reason: 'nul_character',
    });
}

function text(field: FieldDefinition, raw: unknown): string | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw !== 'string') fail(field, raw, 'text');
  refuseNul(
    raw,
    { field_id: field.id, field: field.name, type: field.type },
    `field "${field.name}" (${field.type})`,
  );
  // Code points never outnumber UTF-16 units, so only long text needs counting.
  if (raw.length > LIMITS.textCellChars && codePointLength(raw) > LIMITS.textCellChars) {
    throw invalid(
      `field "${field.name}" holds at most ${LIMITS.textCellChars} characters; got ${codePointLength(raw)}`,
      {
        field_id: field.id,
        field: field.name,
        type: field.type,
        limit: LIMITS.textCellChars,
      },
    );
  }
  return raw;
}

function choices(field: FieldDefinition): string[] {
  const list = (field.options.choices as { name: string }[] | undefined) ?? [];
  return list.map((c) => c.name);
}

/**
 * The names of a field's choices as a set, kept per choices list: an import checks a select value on
 * every row. A list is replaced, not edited, when the choices change; the length check guards the rest.
 */
const choiceSets = new WeakMap<object, { length: number; names: Set<string> }>();
function choiceSet(field: FieldDefinition): Set<string> {
  const list = field.options.choices as { name: string }[] | undefined;
  if (!Array.isArray(list)) return new Set();
  const hit = choiceSets.get(list);
  if (hit && hit.length === list.length) return hit.names;
  const names = new Set(list.map((c) => c.name));
  choiceSets.set(list, { length: list.length, names });
  return names;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A real calendar day as YYYY-MM-DD, years 0100 to 9999 (the proleptic Gregorian calendar, as Date
 * has it). Checked by arithmetic: an import checks every date cell of a file.
 */
export function isValidDate(s: string): boolean {
  if (s.length !== 10 || !DATE.test(s)) return false;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (y < 100 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]);
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/**
 * Web addresses the URL parser is sure to accept as http(s) with a dotted host name: letters, digits
 * and hyphens in labels, a top-level label of letters only (a numeric one is read as an IPv4
 * address and may be refused), no port, no punycode label, and printable ASCII after the host.
 * Anything else goes through the parser.
 */
const PLAIN_WEB_ADDRESS = /^https?:\/\/(?:[a-z0-9-]{1,63}\.)+[a-z]{2,63}(?:[/?#][\x21-\x7e]*)?$/i;
const PUNYCODE_LABEL = /(?:^|[/.])xn--/i;

/** True for an http or https address with a dotted host (or localhost), as the URL parser reads it. */
export function isWebAddress(withScheme: string): boolean {
  if (PLAIN_WEB_ADDRESS.test(withScheme) && !PUNYCODE_LABEL.test(withScheme)) return true;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return false;
  }
  return (
    (u.protocol === 'http:' || u.protocol === 'https:') &&
    (u.hostname.includes('.') || u.hostname === 'localhost')
  );
}

// eslint-disable-next-line no-control-regex -- an attachment's address may hold neither white space nor NUL
const HTTP_URL = /^https?:\/\/[^\s\u0000]+$/i;

/** Attachments are kept as their file name and address (`{ filename, url }`); the files are never fetched. */
function attachments(field: FieldDefinition, raw: unknown): CellValue {
  if (raw === null || raw === undefined || raw === '') return [];
  const valid = (x: unknown): x is { filename: string; url: string } => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
    const { filename, url } = x as Record<string, unknown>;
    return (
      typeof filename === 'string' &&
      filename.length <= 1_000 &&
      filename.indexOf('\u0000') === -1 &&
      typeof url === 'string' &&
      url.length <= 4_096 &&
      HTTP_URL.test(url)
    );
  };
  if (!Array.isArray(raw) || !raw.every(valid))
    fail(field, raw, 'a list of attachments ({ filename, url } with an http or https address)');
  if (raw.length > LIMITS.cellItems) fail(field, raw, `at most ${LIMITS.cellItems} attachments`);
  return raw.map((a) => ({ filename: a.filename, url: a.url }));
}

function multipleSelect(field: FieldDefinition, raw: unknown): CellValue {
  if (raw === null || raw === undefined || raw === '') return [];
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string'))
    fail(field, raw, 'a list of its choices');
  const allowed = choiceSet(field);
  const bad = (raw as string[]).find((x) => !allowed.has(x));
  if (bad !== undefined)
    fail(field, bad, `only its choices (${[...new Set(choices(field))].slice(0, 12).join(', ')})`);
  if (raw.length > LIMITS.cellItems) fail(field, raw, `at most ${LIMITS.cellItems} items`);
  return [...new Set(raw as string[])];
}

function linkIds(field: FieldDefinition, raw: unknown): CellValue {
  if (raw === null || raw === undefined || raw === '') return [];
  if (
    !Array.isArray(raw) ||
    raw.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 64)
  )
    fail(field, raw, 'a list of record ids');
  if (raw.length > LIMITS.cellItems) fail(field, raw, `at most ${LIMITS.cellItems} linked records`);
  return [...new Set(raw as string[])];
}

/** A web address gains `https://` when it has no scheme; only http and https are kept. */
function webAddress(field: FieldDefinition, raw: unknown): CellValue {
  const s = text(field, typeof raw === 'string' ? raw.trim() : raw);
  if (s === null) return null;
  if (/^(javascript|data|vbscript|file|blob):/i.test(s))
    fail(field, raw, 'an http or https address');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`;
  if (!isWebAddress(withScheme))
    fail(field, raw, /^https?:/i.test(withScheme) ? 'a web address' : 'an http or https address');
  return withScheme;
}

/**
 * Turns what a person or client sent into the stored value of a field, or throws a validation error
 * naming the field, its type and what was given. Empty input becomes null (false for checkboxes).
 * Link targets are checked by the decider, which knows the records.
 */
export function normalizeCell(field: FieldDefinition, raw: unknown): CellValue {
  switch (field.type) {
    case 'text':
    case 'long_text':
      return text(field, raw);
    case 'number':
    case 'currency':
    case 'percent': {
      if (raw === null || raw === undefined || raw === '') return null;
      if (typeof raw !== 'number' || !Number.isFinite(raw)) fail(field, raw, 'a finite number');
      return Object.is(raw, -0) ? 0 : raw;
    }
    case 'date': {
      if (raw === null || raw === undefined || raw === '') return null;
      if (typeof raw !== 'string' || !isValidDate(raw)) fail(field, raw, 'a date as YYYY-MM-DD');
      return raw;
    }
    case 'date_time': {
      if (raw === null || raw === undefined || raw === '') return null;
      if (typeof raw !== 'string' || !DATE_TIME.test(raw) || !isValidDate(raw.slice(0, 10)))
        fail(field, raw, 'an ISO 8601 date-time with a time zone');
      const t = Date.parse(raw);
      if (Number.isNaN(t)) fail(field, raw, 'an ISO 8601 date-time with a time zone');
      return new Date(t).toISOString();
    }
    case 'checkbox': {
      if (raw === null || raw === undefined || raw === '') return false;
      if (typeof raw !== 'boolean') fail(field, raw, 'true or false');
      return raw;
    }
    case 'single_select': {
      if (raw === null || raw === undefined || raw === '') return null;
      if (typeof raw !== 'string') fail(field, raw, 'one of its choices');
      if (!choiceSet(field).has(raw))
        fail(field, raw, `one of its choices (${choices(field).slice(0, 12).join(', ')})`);
      return raw;
    }
    case 'multiple_select':
      return multipleSelect(field, raw);
    case 'link':
      return linkIds(field, raw);
    case 'user':
      return normalizeUserValue(field, raw);
    case 'attachment':
      return attachments(field, raw);
    case 'email': {
      const s = text(field, typeof raw === 'string' ? raw.trim() : raw);
      if (s === null) return null;
      if (!EMAIL.test(s) || s.length > 320) fail(field, raw, 'an email address');
      return s;
    }
    case 'url':
      return webAddress(field, raw);
    case 'phone': {
      const s = text(field, typeof raw === 'string' ? raw.trim() : raw);
      if (s === null) return null;
      if (!PHONE.test(s)) fail(field, raw, 'a phone number');
      return s;
    }
    case 'created_time':
    case 'last_modified_time':
    case 'created_by':
    case 'last_modified_by':
    case 'formula':
    case 'follow_up':
      throw invalid(
        `field "${field.name}" (${field.type}) is filled in by the system and cannot be edited`,
        { field_id: field.id, field: field.name, type: field.type },
      );
    default:
      throw invalid(`field "${field.name}" has an unknown type "${field.type}"`, {
        field_id: field.id,
        field: field.name,
        type: field.type,
      });
  }
}

/** Canonical form for equality: empty things are equal, lists compare in order. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object')
    return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
