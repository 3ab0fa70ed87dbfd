import { type NumberTextReason, parseLocaleNumber, separatorsFor } from '@crm/domain';
import type { FieldDefinition } from '@crm/events';

/**
 * Numbers are read and written with the marks of the locale the app formats with (the browser's), so
 * that every number shown parses back to itself: 1.500,50 in de-DE, 1'500.50 in de-CH.
 */
export const NUMBER_MARKS = separatorsFor();
/** A currency field's symbol ($ unless the field names another). */
export const symbolOf = (f: FieldDefinition) =>
  typeof f.options.symbol === 'string' ? f.options.symbol : '$';

/** A number as an editor starts with it: no grouping, the locale's decimal mark (2500000,5 in de-DE). */
export function plainNumber(n: number): string {
  return NUMBER_MARKS.decimal === '.' ? String(n) : String(n).replace('.', NUMBER_MARKS.decimal);
}

/** Examples in the locale's own marks, for the words of a refusal. */
export function examples(field: FieldDefinition): string {
  const { decimal: d, group: g } = NUMBER_MARKS;
  const group = g.trim() === '' ? ' ' : g;
  if (field.type === 'percent') return `12${d}5 or 12${d}5%`;
  if (field.type === 'currency') return `250000, 2${d}5m or ${symbolOf(field)}1${group}000${d}50`;
  return `1${group}500${d}5 or 2${d}5m`;
}

/** Why a number was refused, in words that name the marks the locale uses. */
function numberRefusal(field: FieldDefinition, given: string, reason: NumberTextReason): string {
  const g = `“${given.length > 40 ? `${given.slice(0, 40)}…` : given}”`;
  const { decimal: d } = NUMBER_MARKS;
  const other = d === ',' ? '.' : ',';
  switch (reason) {
    case 'ambiguous_separator':
      return `${field.name}: ${g} could be read two ways. The decimal mark here is “${d}”: type 1${d}5 for one and a half, 1500 for fifteen hundred.`;
    case 'misplaced_separator':
      return `${field.name}: ${g} has a “${d}” or “${other}” where a number cannot have one. The decimal mark here is “${d}” (such as ${examples(field)}).`;
    case 'out_of_range':
      return `${field.name}: ${g} is too large a number.`;
    default:
      return `${field.name} takes ${field.type === 'currency' ? 'an amount' : field.type === 'percent' ? 'a percentage' : 'a number'} such as ${examples(field)}; ${g} is not one.`;
  }
}

export type ParsedNumber = { ok: true; value: number | null } | { ok: false; message: string };

/**
 * A number typed into a number, currency or percent field — in a cell, the record drawer or a view
 * filter: the locale's marks, a currency symbol, a k/m/bn suffix; a percent field reads 12,5 and
 * 12,5 % as 0.125.
 */
export function parseNumberInput(field: FieldDefinition, text: string): ParsedNumber {
  if (text.trim() === '') return { ok: true, value: null };
  const percent = field.type === 'percent';
  const t = percent ? text.trim().replace(/^%\s*|\s*%$/g, '') : text;
  const r = parseLocaleNumber(t, NUMBER_MARKS, {
    scale: true,
    symbols: field.type === 'currency' ? [symbolOf(field)] : [],
  });
  if (!r.ok) return { ok: false, message: numberRefusal(field, text.trim(), r.reason) };
  return { ok: true, value: percent ? Number((r.value / 100).toPrecision(15)) : r.value };
}
