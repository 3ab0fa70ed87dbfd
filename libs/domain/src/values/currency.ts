/**
 * Currencies as ISO 4217 codes. A currency field names its code (`options.currency`); a field made
 * before codes existed names a symbol, read as the code it stands for where that is unambiguous.
 */

/** Symbols that stand for one currency only. `kr`, `R` or a bare `Fr` are not here: they name several. */
export const SYMBOL_CURRENCIES: Readonly<Record<string, string>> = {
  $: 'USD',
  US$: 'USD',
  '€': 'EUR',
  EUR: 'EUR',
  '£': 'GBP',
  GBP: 'GBP',
  CHF: 'CHF',
  'Fr.': 'CHF',
  USD: 'USD',
  '¥': 'JPY',
  JPY: 'JPY',
  C$: 'CAD',
  CA$: 'CAD',
  A$: 'AUD',
  AU$: 'AUD',
  HK$: 'HKD',
  S$: 'SGD',
  '₹': 'INR',
};

let known: ReadonlySet<string> | null = null;

/** Whether `code` is an ISO 4217 code this runtime formats (Intl's list). */
export function isCurrencyCode(code: unknown): code is string {
  if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) return false;
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return known.has(code);
}

/** The field's currency code: the one it names, else the one its symbol stands for, else null. */
export function currencyCodeOf(options: Readonly<Record<string, unknown>>): string | null {
  if (isCurrencyCode(options.currency)) return options.currency;
  const symbol = typeof options.symbol === 'string' ? options.symbol.trim() : '$';
  return SYMBOL_CURRENCIES[symbol] ?? null;
}
