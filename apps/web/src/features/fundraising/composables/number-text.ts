import {
  currencyCodeOf,
  type NumberTextReason,
  parseLocaleNumber,
  separatorsFor,
} from '@crm/domain';
import type { FieldDefinition } from '@crm/events';

/**
 * Numbers are read and written with the marks of the locale the app formats with (the browser's), so
 * that every number shown parses back to itself: 1.500,50 in de-DE, 1'500.50 in de-CH.
 */
export const NUMBER_MARKS = separatorsFor();
/** A currency field's symbol ($ unless the field names another). */
export const symbolOf = (f: FieldDefinition) =>
  typeof f.options.symbol === 'string' ? f.options.symbol : '$';

const currencyFormats = new Map<string, Intl.NumberFormat>();

/**
 * Amounts of one currency as the reader's locale writes them (CHF 1’250’000 in de-CH, 1.250.000 €
 * in de-DE), with exactly the field's decimal places.
 */
export function currencyFormat(code: string, decimals: number, grouping = true): Intl.NumberFormat {
  const key = `${code}:${decimals}:${grouping}`;
  let f = currencyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      useGrouping: grouping,
    });
    currencyFormats.set(key, f);
  }
  return f;
}

/**
 * An amount as `currencyFormat` writes it, with the decimal and group marks of plain numbers here:
 * ICU writes francs in fr-CH with a decimal point but other numbers with a comma, and an amount must
 * read back as itself.
 */
export function formatAmount(
  code: string,
  decimals: number,
  grouping: boolean,
  value: number,
): string {
  return currencyFormat(code, decimals, grouping)
    .formatToParts(value)
    .map((p) =>
      p.type === 'decimal'
        ? NUMBER_MARKS.decimal
        : p.type === 'group'
          ? NUMBER_MARKS.group
          : p.value,
    )
    .join('');
}

/** An amount of a currency field as a cell shows it: its currency as the locale writes it, a − before. */
export function formatCurrency(
  field: FieldDefinition,
  value: number,
  decimals: number,
  grouping: boolean,
): string {
  const code = currencyCodeOf(field.options);
  const amount = code
    ? formatAmount(code, decimals, grouping, Math.abs(value))
    : `${symbolOf(field)}${new Intl.NumberFormat(undefined, {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
        useGrouping: grouping,
      }).format(Math.abs(value))}`;
  return `${value < 0 ? '−' : ''}${amount}`;
}

/** A currency field as it reads amounts of `code` (null: of no known currency, no symbol). */
export function inCurrency(field: FieldDefinition, code: string | null): FieldDefinition {
  const { currency: _own, ...rest } = field.options;
  return { ...field, options: code ? { ...rest, currency: code } : { ...rest, symbol: '' } };
}

/**
 * Amounts kept apart by currency (a total over commitments to funds in several currencies): each
 * in its own, joined with “+” and never added up; '' holds amounts of no known currency.
 */
export function amountsText(field: FieldDefinition, byCode: Record<string, number | null>): string {
  const decimals = typeof field.options.precision === 'number' ? field.options.precision : 2;
  const grouping = field.options.thousands_separator !== false;
  return Object.entries(byCode)
    .filter((e): e is [string, number] => e[1] !== null)
    .map(([code, n]) => formatCurrency(inCurrency(field, code || null), n, decimals, grouping))
    .join(' + ');
}

/** Decimal places a number needs to be written exactly (up to 8). */
export function decimalsOf(n: number): number {
  for (let d = 0; d < 8; d++) if (Number(n.toFixed(d)) === n) return d;
  return 8;
}

/** What a currency field's amounts may carry around the number: its code, and its symbol here. */
function currencyMarks(field: FieldDefinition): string[] {
  const code = currencyCodeOf(field.options);
  if (!code) return [symbolOf(field)];
  const here = currencyFormat(code, 0)
    .formatToParts(1)
    .find((p) => p.type === 'currency')?.value;
  return [
    ...new Set([code, ...(here ? [here] : []), ...(field.options.symbol ? [symbolOf(field)] : [])]),
  ];
}

/** A number as an editor starts with it: no grouping, the locale's decimal mark (2500000,5 in de-DE). */
export function plainNumber(n: number): string {
  return NUMBER_MARKS.decimal === '.' ? String(n) : String(n).replace('.', NUMBER_MARKS.decimal);
}

/** Examples in the locale's own marks, for the words of a refusal. */
export function examples(field: FieldDefinition): string {
  const { decimal: d, group: g } = NUMBER_MARKS;
  const group = g.trim() === '' ? ' ' : g;
  if (field.type === 'percent') return `12${d}5 or 12${d}5%`;
  if (field.type === 'currency') {
    const code = currencyCodeOf(field.options);
    const sample = code
      ? currencyFormat(code, 2).format(1000.5)
      : `${symbolOf(field)}1${group}000${d}50`;
    return `250000, 2${d}5m or ${sample}`;
  }
  return `1${group}500${d}5 or 2${d}5m`;
}

/** 1 March 2024 as the locale writes it and `reads` reads back, then the ISO form every locale reads. */
export function dateExample(reads: (text: string) => string | null): string {
  const local = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC' }).format(
    Date.UTC(2024, 2, 1),
  );
  return reads(local) === '2024-03-01' && local !== '2024-03-01'
    ? `${local} or 2024-03-01`
    : '2024-03-01';
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
    symbols: field.type === 'currency' ? currencyMarks(field) : [],
  });
  if (!r.ok) return { ok: false, message: numberRefusal(field, text.trim(), r.reason) };
  return { ok: true, value: percent ? Number((r.value / 100).toPrecision(15)) : r.value };
}
