import {
  convertValue,
  DomainError,
  isComputedType,
  isTicked,
  isValidDate,
  normalizeCell,
  parseAttachments,
} from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import {
  dateExample,
  examples,
  formatCurrency,
  parseNumberInput,
  plainNumber,
} from './number-text';
import { formatCopy } from './cell-copy';
import { personText } from './person-text';

export { formatCopy };

/** What the codec needs to know beyond the field: names of linked records and of people. */
export interface CodecContext {
  /** The primary-field text of a record, or undefined when it is not loaded. */
  recordName(recordId: string): string | undefined;
  /** Record ids of a table whose primary field equals the name (case-insensitive). */
  findByName(tableId: string, name: string): string[];
  actorName(actorId: string): string;
  /** The user id of the member of the team with this name or email (case and spaces aside). */
  findPerson?(nameOrEmail: string): string | undefined;
}

export type Parsed = { ok: true; value: CellValue } | { ok: false; message: string };

const TEXT: FieldDefinition = {
  id: 'fld_input',
  name: 'input',
  type: 'text',
  options: {},
  role: null,
};
const choicesOf = (f: FieldDefinition) =>
  ((f.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Dates as people type them: 2024-03-01, 3/1/2024 (month first in US English), 1.3.2024, 1 Mar 2024, Mar 1, 2024. */
export function parseDate(
  s: string,
  locale = typeof navigator === 'undefined' ? 'en-US' : navigator.language,
): string | null {
  const t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return isValidDate(t) ? t : null;
  if (/^\d{4}-\d{2}-\d{2}T/.test(t)) return isValidDate(t.slice(0, 10)) ? t.slice(0, 10) : null;
  let y: number, mo: number, d: number;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
  if (m) {
    const monthFirst = /^en-US$/i.test(locale) || (/\//.test(t) && /^en(-US)?$/i.test(locale));
    const [a, b] = [Number(m[1]), Number(m[2])];
    [mo, d] = t.includes('.') ? [b, a] : monthFirst ? [a, b] : [b, a];
    y = Number(m[3]) < 100 ? 2000 + Number(m[3]) : Number(m[3]);
  } else if ((m = /^(\d{1,2})\s+([a-z]{3,})\.?,?\s+(\d{4})$/i.exec(t))) {
    d = Number(m[1]);
    mo = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1;
    y = Number(m[3]);
  } else if ((m = /^([a-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(t))) {
    mo = MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1;
    d = Number(m[2]);
    y = Number(m[3]);
  } else {
    return null;
  }
  const iso = `${y}-${pad(mo)}-${pad(d)}`;
  return mo > 0 && isValidDate(iso) ? iso : null;
}

function parseDateTime(s: string): string | null {
  const conv = convertValue(s.trim(), TEXT, { ...TEXT, type: 'date_time' });
  if (conv.ok) return conv.value as string | null;
  const local = Date.parse(s.trim());
  if (!Number.isNaN(local) && /\d{4}/.test(s)) return new Date(local).toISOString();
  const date = parseDate(s);
  return date ? new Date(`${date}T00:00:00`).toISOString() : null;
}

function matchChoice(field: FieldDefinition, s: string): string | undefined {
  const t = s.trim().toLowerCase();
  return choicesOf(field).find((c) => c.toLowerCase() === t);
}

/** Friendly words for a refusal; the domain's own message stays the fallback. */
function refusal(field: FieldDefinition, given: unknown, fallback: string): string {
  const g =
    typeof given === 'string'
      ? `“${given.length > 40 ? `${given.slice(0, 40)}…` : given}”`
      : 'that';
  switch (field.type) {
    case 'number':
      return `${field.name} takes a number such as ${examples(field)}; ${g} is not one.`;
    case 'currency':
      return `${field.name} takes an amount such as ${examples(field)}; ${g} is not one.`;
    case 'percent':
      return `${field.name} takes a percentage such as ${examples(field)}; ${g} is not one.`;
    case 'date':
      return `${field.name} takes a date such as ${dateExample(parseDate)}; ${g} is not one.`;
    case 'date_time':
      return `${field.name} takes a date and time; ${g} is not one.`;
    case 'email':
      return `${field.name} takes an email address; ${g} is not one.`;
    case 'url':
      return `${field.name} takes a web address (http or https); ${g} is not one.`;
    case 'phone':
      return `${field.name} takes a phone number; ${g} is not one.`;
    case 'checkbox':
      return `${field.name} is a checkbox: use yes/no, true/false or x.`;
    case 'single_select':
      return `${g} is not one of the choices of ${field.name} (${choicesOf(field).slice(0, 8).join(', ')}).`;
    case 'multiple_select':
      return `${g} is not among the choices of ${field.name} (${choicesOf(field).slice(0, 8).join(', ')}).`;
    case 'link':
      return `${field.name}: no record named ${g} in the linked table.`;
    case 'user':
      return `${field.name}: nobody in the team is named ${g}.`;
    default:
      return fallback;
  }
}

/**
 * Names as the grid shows and copies them, as ids: linked records by primary text (or id), people
 * by name or email. Answers the first name that matches nothing instead.
 */
function idsOfNames(field: FieldDefinition, s: string, ctx: CodecContext): string[] | string {
  const ids: string[] = [];
  for (const p of s
    .split(/[,;\n]/)
    .map((x) => x.trim())
    .filter(Boolean)) {
    const found =
      field.type === 'user'
        ? ctx.findPerson?.(p)
        : /^rec[0-9A-Za-z]{14}$/.test(p) && ctx.recordName(p) !== undefined
          ? p
          : ctx.findByName(String(field.options.table_id), p)[0];
    if (found === undefined) return p;
    ids.push(found);
  }
  return ids;
}

/**
 * Turns what a person typed or pasted into the value the field stores, then checks it with the
 * domain's `normalizeCell` — the same function the server runs — so nothing corrupt is ever sent.
 */
export function parseInput(field: FieldDefinition, raw: unknown, ctx: CodecContext): Parsed {
  if (isComputedType(field.type))
    return { ok: false, message: `${field.name} is filled in by the system.` };
  let candidate: unknown = raw;
  if (typeof raw === 'string') {
    const s = raw;
    const blank = s.trim() === '';
    switch (field.type) {
      case 'number':
      case 'currency':
      case 'percent': {
        const n = parseNumberInput(field, s);
        if (!n.ok) return n;
        candidate = n.value;
        break;
      }
      case 'date':
        candidate = blank ? null : (parseDate(s) ?? s);
        break;
      case 'date_time':
        candidate = blank ? null : (parseDateTime(s) ?? s);
        break;
      case 'checkbox': {
        const conv = convertValue(s, TEXT, field);
        candidate = conv.ok ? conv.value : s;
        break;
      }
      case 'single_select':
        candidate = blank ? null : (matchChoice(field, s) ?? s);
        break;
      case 'multiple_select': {
        const parts = s
          .split(/[,;\n]/)
          .map((x) => x.trim())
          .filter(Boolean);
        const bad = parts.find((p) => !matchChoice(field, p));
        if (bad !== undefined) return { ok: false, message: refusal(field, bad, '') };
        candidate = parts.map((p) => matchChoice(field, p)!);
        break;
      }
      case 'link':
      case 'user': {
        const ids = idsOfNames(field, s, ctx);
        if (typeof ids === 'string') return { ok: false, message: refusal(field, ids, '') };
        candidate = ids;
        break;
      }
      case 'attachment':
        // Airtable's `name (url)` form, as an export writes it and the clipboard copies it.
        candidate = blank ? [] : (parseAttachments(s.trim()) ?? s);
        break;
      case 'email':
      case 'url':
      case 'phone':
        candidate = blank ? null : s.trim();
        break;
      default:
        candidate = s === '' ? null : s;
    }
  } else if (typeof raw === 'number' && field.type === 'text') {
    candidate = String(raw);
  }
  try {
    return { ok: true, value: normalizeCell(field, candidate) };
  } catch (e) {
    if (e instanceof DomainError) return { ok: false, message: refusal(field, raw, e.message) };
    throw e;
  }
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(min: number, max: number, style?: 'percent', grouping = true): Intl.NumberFormat {
  const key = `${min}:${max}:${style ?? ''}:${grouping}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(undefined, {
      minimumFractionDigits: min,
      maximumFractionDigits: Math.max(min, max),
      style,
      useGrouping: grouping,
    });
    numberFormats.set(key, f);
  }
  return f;
}
const dateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
export const precisionOf = (f: FieldDefinition, fallback: number) =>
  typeof f.options.precision === 'number' ? f.options.precision : fallback;
/** Thousands separators show unless the field turns them off (a year reads 2026, not 2,026). */
const groupingOf = (f: FieldDefinition) => f.options.thousands_separator !== false;

/** A computed number as its `display` option asks: money, a percentage, or a plain number. */
function computedNumber(field: FieldDefinition, value: number, ctx: CodecContext): string {
  const display = field.options.display;
  if (display === 'currency' || display === 'percent')
    return formatDisplay({ ...field, type: display }, value, ctx);
  return nf(0, 4, undefined, groupingOf(field)).format(value);
}

/** The text a cell shows. */
export function formatDisplay(
  field: FieldDefinition,
  value: CellValue | undefined,
  ctx: CodecContext,
): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'number':
      return typeof value === 'number'
        ? nf(precisionOf(field, 0), 4, undefined, groupingOf(field)).format(value)
        : String(value);
    case 'currency':
      return typeof value === 'number'
        ? formatCurrency(field, value, precisionOf(field, 2), groupingOf(field))
        : String(value);
    case 'percent':
      return typeof value === 'number'
        ? nf(precisionOf(field, 0), 2, 'percent', groupingOf(field)).format(value)
        : String(value);
    case 'date':
      return typeof value === 'string' && isValidDate(value)
        ? dateFormat.format(new Date(`${value}T00:00:00Z`))
        : String(value);
    case 'date_time':
    case 'created_time':
    case 'last_modified_time':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? dateTimeFormat.format(new Date(value))
        : String(value);
    case 'created_by':
    case 'last_modified_by':
    case 'follow_up':
      return personText(field, value, ctx);
    case 'user':
      return Array.isArray(value)
        ? (value as string[]).map((id) => ctx.actorName(id)).join(', ')
        : '';
    case 'checkbox':
      return value === true ? '✓' : '';
    case 'multiple_select':
      return Array.isArray(value) ? value.join(', ') : String(value);
    case 'link':
      return Array.isArray(value)
        ? (value as string[]).map((id) => ctx.recordName(id) || 'Unnamed record').join(', ')
        : '';
    case 'attachment':
      return Array.isArray(value)
        ? (value as { filename?: string }[]).map((a) => a.filename ?? '').join(', ')
        : '';
    case 'formula':
    case 'lookup':
    case 'rollup':
    case 'count':
      // Computed on the server (and shown as it last computed them); errors come as objects.
      // A true/false formula is 1/0, as in Airtable, or a checkmark with `display: "checkbox"`.
      if (field.options.result_type === 'boolean' && typeof value !== 'object')
        return field.options.display === 'checkbox'
          ? isTicked(value)
            ? '✓'
            : ''
          : isTicked(value)
            ? '1'
            : '0';
      if (typeof value === 'number') return computedNumber(field, value, ctx);
      if (typeof value === 'boolean') return value ? '1' : '0';
      if (Array.isArray(value))
        return value.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
      if (typeof value === 'object')
        return String((value as { error?: unknown }).error ?? '#ERROR');
      if (field.options.result_type === 'date' && /^\d{4}-\d{2}-\d{2}/.test(value))
        return /T/.test(value)
          ? dateTimeFormat.format(new Date(value))
          : dateFormat.format(new Date(`${value}T00:00:00Z`));
      return String(value);
    default:
      return String(value);
  }
}

/** The text an editor starts with: plain, without thousands separators, so it parses back unchanged. */
export function formatEdit(
  field: FieldDefinition,
  value: CellValue | undefined,
  ctx: CodecContext,
): string {
  if (value === null || value === undefined) return '';
  switch (field.type) {
    case 'number':
    case 'currency':
      return typeof value === 'number' ? plainNumber(value) : String(value);
    case 'percent':
      return typeof value === 'number'
        ? plainNumber(Number((value * 100).toPrecision(15)))
        : String(value);
    case 'date_time':
      return typeof value === 'string' ? value : '';
    default:
      return formatCopy(field, value, ctx);
  }
}
