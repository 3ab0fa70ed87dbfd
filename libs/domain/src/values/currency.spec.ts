import { normalizeFieldOptions } from './field-options';
import { currencyCodeOf, isCurrencyCode, unmappedCurrencySymbols } from './currency';

describe('currency codes', () => {
  it('given ISO 4217 codes, then they are known; given anything else, then not', () => {
    expect(['USD', 'EUR', 'CHF', 'GBP', 'JPY'].every(isCurrencyCode)).toBe(true);
    expect(['usd', 'US', 'DOLLAR', 'ZZZ', '', null, 42].some(isCurrencyCode)).toBe(false);
  });

  it('given a field naming its code, then that code wins over its symbol', () => {
    expect(currencyCodeOf({ currency: 'CHF', symbol: '$' })).toBe('CHF');
  });

  it('given a field made before codes, then its symbol is read as the currency it stands for', () => {
    expect(currencyCodeOf({ symbol: '$' })).toBe('USD');
    expect(currencyCodeOf({ symbol: '€' })).toBe('EUR');
    expect(currencyCodeOf({ symbol: '£' })).toBe('GBP');
    expect(currencyCodeOf({ symbol: 'CHF' })).toBe('CHF');
    expect(currencyCodeOf({})).toBe('USD');
  });

  it('given a symbol that names several currencies or none, then no code is guessed', () => {
    expect(currencyCodeOf({ symbol: 'kr' })).toBeNull();
    expect(currencyCodeOf({ symbol: 'Fr' })).toBeNull();
    expect(currencyCodeOf({ currency: 'XYZ', symbol: '¤' })).toBeNull();
  });
});

describe('a currency field’s options', () => {
  const ctx = { tableExists: () => false };

  it('given an ISO code, then it is kept and no dollar symbol is added', () => {
    expect(
      normalizeFieldOptions('Amount', 'currency', { currency: 'CHF', precision: 0 }, ctx),
    ).toEqual({
      currency: 'CHF',
      precision: 0,
    });
  });

  it('given neither a code nor a symbol, then the field is in dollars, as before codes', () => {
    expect(normalizeFieldOptions('Amount', 'currency', {}, ctx)).toEqual({
      symbol: '$',
      precision: 2,
    });
  });

  it('given a code that is not ISO 4217, then it is refused naming the option', () => {
    for (const currency of ['chf', 'Swiss francs', 'XYZ', 7])
      expect(() => normalizeFieldOptions('Amount', 'currency', { currency }, ctx)).toThrow(
        expect.objectContaining({
          code: 'validation',
          details: expect.objectContaining({ option: 'currency' }),
        }),
      );
  });
});

describe('symbols that stand for no one currency', () => {
  it('given money fields with codes, known and unknown symbols, when listed, then only the unknown ones', () => {
    const f = (name: string, type: string, options: Record<string, unknown>) => ({
      name,
      type,
      options,
    });
    const tables = [
      {
        name: 'Funds',
        fields: [
          f('Size', 'currency', { symbol: 'kr' }),
          f('Target', 'currency', { symbol: '€' }),
          f('Raised', 'currency', { currency: 'SEK', symbol: 'kr' }),
          f('Total', 'rollup', { display: 'currency', symbol: 'R' }),
          f('Share', 'rollup', { display: 'percent' }),
          f('Name', 'text', { symbol: 'kr' }),
        ],
      },
    ];
    expect(unmappedCurrencySymbols(tables)).toEqual([
      { table: 'Funds', field: 'Size', symbol: 'kr' },
      { table: 'Funds', field: 'Total', symbol: 'R' },
    ]);
  });
});
