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

export interface UnmappedSymbol {
  table: string;
  field: string;
  symbol: string;
}

/**
 * Money fields whose symbol stands for no one currency (`kr`, `R`, `Fr`), made before fields named
 * ISO codes: their amounts show the symbol as typed until someone picks the code in the field's
 * settings. Currency fields and computed fields shown as money alike.
 */
export function unmappedCurrencySymbols(
  tables: readonly {
    name: string;
    fields: readonly { name: string; type: string; options: Readonly<Record<string, unknown>> }[];
  }[],
): UnmappedSymbol[] {
  const out: UnmappedSymbol[] = [];
  for (const t of tables)
    for (const f of t.fields) {
      const money = f.type === 'currency' || f.options.display === 'currency';
      if (money && currencyCodeOf(f.options) === null)
        out.push({ table: t.name, field: f.name, symbol: String(f.options.symbol ?? '') });
    }
  return out;
}
