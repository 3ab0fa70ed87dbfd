import fc from 'fast-check';
import {
  COMMA_DECIMAL,
  type NumberSeparators,
  parseLocaleNumber,
  POINT_DECIMAL,
  separatorsFor,
} from './number-text';

const EN_US = separatorsFor('en-US');
const DE_DE = separatorsFor('de-DE');
const DE_CH: NumberSeparators = { decimal: '.', group: '\u2019' }; // as Chromium has it; Node's ICU writes '
const FR_CH = separatorsFor('fr-CH');

const read = (text: string, seps: NumberSeparators, scale = true, symbols: string[] = []) =>
  parseLocaleNumber(text, seps, { scale, symbols });

describe('parseLocaleNumber: numbers as people type them in their locale', () => {
  it('given a locale, when Intl is asked, then its decimal and group marks come back', () => {
    expect(EN_US).toEqual({ decimal: '.', group: ',' });
    expect(DE_DE).toEqual({ decimal: ',', group: '.' });
    expect(FR_CH).toEqual({ decimal: ',', group: '\u202F' });
    expect(separatorsFor('de-CH').decimal).toBe('.');
  });

  it.each<[string, NumberSeparators, string, number]>([
    ['en-US', EN_US, '1,500.50', 1500.5],
    ['en-US', EN_US, '1,500', 1500],
    ['en-US', EN_US, '$1,250,000', 1_250_000],
    ['en-US', EN_US, '−$1,000', -1000],
    ['en-US', EN_US, '(500)', -500],
    ['en-US', EN_US, '500-', -500],
    ['en-US', EN_US, '.5', 0.5],
    ['en-US', EN_US, '1e6', 1e6],
    ['en-US', EN_US, "1'000'000", 1_000_000],
    ['en-US', EN_US, '1 000 000', 1_000_000],
    ['en-US', EN_US, '12,34,567', 1_234_567],
    ['en-US', EN_US, '2.5M', 2_500_000],
    ['en-US', EN_US, '1.1bn', 1_100_000_000],
    ['en-US', EN_US, '250k', 250_000],
    ['en-US', EN_US, '€ 2.5m', 2_500_000],
    ['de-DE', DE_DE, '1.500,50', 1500.5],
    ['de-DE', DE_DE, '1,5', 1.5],
    ['de-DE', DE_DE, '2.500,75', 2500.75],
    ['de-DE', DE_DE, '1.250.000 €', 1_250_000],
    ['de-DE', DE_DE, '2,5M', 2_500_000],
    ['de-DE', DE_DE, '2,5 Mio.', 2_500_000],
    ['de-CH', DE_CH, 'CHF 1.2 Mrd', 1_200_000_000],
    ['de-DE', DE_DE, '-1.000', -1000],
    ['de-CH', DE_CH, "1'000'000", 1_000_000],
    ['de-CH', DE_CH, '1\u2019250\u2019000.5', 1_250_000.5],
    ['de-CH', DE_CH, "$1'250'000.5", 1_250_000.5],
    ['de-CH', DE_CH, "CHF 1'250.50", 1250.5],
    ['de-CH', DE_CH, '1,5', 1.5],
    ['de-CH', DE_CH, '1.500', 1.5],
    ['fr-CH', FR_CH, '1\u202F250\u202F000,5', 1_250_000.5],
    ['fr-CH', FR_CH, '1 250,5', 1250.5],
    ['fr-CH', FR_CH, "1'000.50", 1000.5],
    ['fr-CH', FR_CH, "1'000.500", 1000.5],
    ['fr-CH', FR_CH, '1.5', 1.5],
    ['fr-CH', FR_CH, '1.000.000', 1_000_000],
    ['fr-CH', FR_CH, 'CHF 1\u202F234.50', 1234.5],
    ['de-AT', separatorsFor('de-AT'), '€ 1.000,50', 1000.5],
    ['de-CH', DE_CH, '1,000.5', 1000.5],
    ['ar-EG', separatorsFor('ar-EG'), '\u061C-\u0661\u066C\u0662\u0663\u0664\u066B\u0665', -1234.5],
  ])('given %s, when "%s" is read, then it is %p', (_locale, seps, text, expected) => {
    expect(read(text, seps)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, NumberSeparators, string, string]>([
    ['en-US', EN_US, '1,5', 'misplaced_separator'],
    ['en-US', EN_US, '1.500,50', 'misplaced_separator'],
    ['en-US', EN_US, '1,50', 'misplaced_separator'],
    ['en-US', EN_US, '1.000.000', 'misplaced_separator'],
    ['en-US', EN_US, '1,000,0', 'misplaced_separator'],
    ['en-US', EN_US, "1'000 000", 'misplaced_separator'],
    ['en-US', EN_US, '1,000e3', 'misplaced_separator'],
    ['en-US', EN_US, '1,', 'misplaced_separator'],
    ['en-US', EN_US, '--5', 'not_a_number'],
    ['en-US', EN_US, 'abc', 'not_a_number'],
    ['en-US', EN_US, '12abc', 'not_a_number'],
    ['en-US', EN_US, '   ', 'empty'],
    ['de-DE', DE_DE, '1.5', 'misplaced_separator'],
    ['de-DE', DE_DE, '2.5M', 'misplaced_separator'],
    ['de-DE', DE_DE, '1,500.50', 'misplaced_separator'],
    ['de-CH', DE_CH, '1,500', 'ambiguous_separator'],
    ['de-CH', DE_CH, '1.500,50', 'misplaced_separator'],
    ['fr-CH', FR_CH, '1.500', 'ambiguous_separator'],
    ['fr-CH', FR_CH, "1'000.000,5", 'misplaced_separator'],
  ])('given %s, when "%s" is read, then it is refused as %s', (_locale, seps, text, reason) => {
    expect(read(text, seps)).toEqual({ ok: false, reason });
  });

  it('given no scale option, when a suffix is typed, then it is not a number', () => {
    expect(parseLocaleNumber('2.5m', POINT_DECIMAL)).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseLocaleNumber('2,5', COMMA_DECIMAL)).toEqual({ ok: true, value: 2.5 });
  });

  it('given a field symbol, when it is typed before or after the number, then it is dropped', () => {
    expect(read('Fr 1.5', DE_CH, true, ['Fr'])).toEqual({ ok: true, value: 1.5 });
    expect(read('1,5 Fr', DE_DE, true, ['Fr'])).toEqual({ ok: true, value: 1.5 });
    expect(read('Fr 1.5', DE_CH)).toEqual({ ok: false, reason: 'not_a_number' });
  });

  it('never reads -0', () => {
    expect(read('-0', EN_US)).toEqual({ ok: true, value: 0 });
    expect(Object.is((read('-0', EN_US) as { value: number }).value, 0)).toBe(true);
  });
});

const LOCALES = [
  'en-US',
  'en-GB',
  'en-IN',
  'en-ZA',
  'de-DE',
  'de-CH',
  'de-AT',
  'de-LI',
  'fr-FR',
  'fr-CH',
  'it-CH',
  'it-IT',
  'rm-CH',
  'es-ES',
  'es-MX',
  'nl-NL',
  'pt-BR',
  'pt-PT',
  'sv-SE',
  'nb-NO',
  'da-DK',
  'fi-FI',
  'pl-PL',
  'cs-CZ',
  'ru-RU',
  'tr-TR',
  'id-ID',
  'vi-VN',
  'ja-JP',
  'zh-CN',
  'ko-KR',
  'he-IL',
  'hi-IN',
  'ar-EG',
  'fa-IR',
  'bn-BD',
];

describe('parseLocaleNumber: whatever Intl writes in a locale reads back to the same number', () => {
  // Values with at most 20 decimals in their shortest form: what Intl can write without rounding.
  const amount = fc.oneof(
    fc.integer({ min: -1e15, max: 1e15 }),
    fc
      .tuple(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 8 }))
      .map(([n, k]) => n / 10 ** k),
    fc
      .double({ min: -1e15, max: 1e15, noNaN: true })
      .filter((x) => Math.abs(x) >= 1e-6 || x === 0)
      .map((x) => Number(x.toPrecision(12))),
  );

  it('given a locale and a number, when it is formatted with grouping and read back, then it is the number', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOCALES), amount, fc.boolean(), (locale, x, grouping) => {
        const text = new Intl.NumberFormat(locale, {
          maximumFractionDigits: 20,
          useGrouping: grouping,
        }).format(x);
        expect(parseLocaleNumber(text, separatorsFor(locale))).toEqual({
          ok: true,
          value: x === 0 ? 0 : x,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('given a currency display of a locale, when it is read back, then it is the amount', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LOCALES),
        fc.constantFrom('USD', 'EUR', 'CHF', 'GBP', 'JPY'),
        fc.integer({ min: -1e12, max: 1e12 }),
        (locale, currency, cents) => {
          const x = cents / 100;
          const text = new Intl.NumberFormat(locale, {
            style: 'currency',
            currency,
            currencyDisplay: 'symbol',
            maximumFractionDigits: 2,
          }).format(x);
          const symbol = new Intl.NumberFormat(locale, { style: 'currency', currency })
            .formatToParts(1)
            .find((p) => p.type === 'currency')!.value;
          expect(parseLocaleNumber(text, separatorsFor(locale), { symbols: [symbol] })).toEqual({
            ok: true,
            value: x === 0 ? 0 : x,
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
