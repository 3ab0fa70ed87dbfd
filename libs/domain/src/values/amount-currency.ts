import { type FieldDefinition } from '@crm/events';
import { currencyCodeOf, isCurrencyCode } from './currency';

/**
 * A currency field may take its currency from the record it links to: a commitment's amount is in
 * its fund's currency. `options.currency_from` names the link field; the linked record's currency is
 * its Currency field (the fund's, or any select or text field named so) holding an ISO code. It may
 * also name its own table's Currency field: a fund's target is in that fund's currency.
 */

/** The field a currency field takes its currency from (a link or its table's Currency), or null. */
export function currencyLinkOf(field: Pick<FieldDefinition, 'type' | 'options'>): string | null {
  const from = field.options.currency_from;
  return field.type === 'currency' && typeof from === 'string' && from ? from : null;
}

/** The field holding a table's records' currency: the fund's Currency, else one named Currency. */
export function currencyFieldOf(fields: readonly FieldDefinition[]): FieldDefinition | undefined {
  return (
    fields.find((f) => f.role === 'fund.currency') ??
    fields.find(
      (f) =>
        (f.type === 'single_select' || f.type === 'text') &&
        f.name.trim().toLowerCase() === 'currency',
    )
  );
}

/** A Currency cell as a code (`chf ` reads as CHF), or null when it holds none. */
export function currencyOfCell(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toUpperCase();
  return isCurrencyCode(code) ? code : null;
}

/**
 * The currency of one amount: the field's own, or the one currency of the records its link names
 * (`currencyOf` reads a linked record's), or the code its record's own Currency cell holds (then
 * `linkValue` is that cell). With none naming one, the field's own code stands (null if it has none);
 * linked records in different currencies give null: no one currency.
 */
export function amountCurrency(
  field: Pick<FieldDefinition, 'type' | 'options'>,
  linkValue: unknown,
  currencyOf: (recordId: string) => string | null,
): string | null {
  const own = currencyCodeOf(field.options);
  if (!currencyLinkOf(field)) return own;
  if (typeof linkValue === 'string') return currencyOfCell(linkValue) ?? own;
  if (!Array.isArray(linkValue)) return own;
  let found: string | null = null;
  for (const id of linkValue) {
    const code = typeof id === 'string' ? currencyOf(id) : null;
    if (code === null) continue;
    if (found !== null && found !== code) return null;
    found = code;
  }
  return found ?? own;
}

/** Unknown currency, as a key of amounts by currency. */
export const UNKNOWN_CURRENCY = '';

/**
 * Amounts grouped by currency, in the order each first appears: `codes[i]` is the currency of
 * `values[i]` (null when it has none, kept under UNKNOWN_CURRENCY). Non-numbers are left out.
 */
export function byCurrency(
  values: readonly unknown[],
  codes: readonly (string | null)[],
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    const code = codes[i] ?? UNKNOWN_CURRENCY;
    const list = out.get(code);
    if (list) list.push(v);
    else out.set(code, [v]);
  });
  return out;
}
