import {
  parseCheckbox,
  parseCurrency,
  parseDateText,
  parseDateTimeText,
  parseNumberText,
  parsePercent,
  slashDateParts,
} from './airtable-values';

describe('Airtable values', () => {
  it('reads checkboxes as Airtable writes them', () => {
    expect(parseCheckbox('checked')).toBe(true);
    expect(parseCheckbox('')).toBe(false);
    expect(parseCheckbox('maybe')).toBeNull();
  });

  it('reads numbers with thousands separators and decimal commas, never regrouping digits', () => {
    expect(parseNumberText('1,234,567.89')).toBe(1234567.89);
    expect(parseNumberText('-0.25')).toBe(-0.25);
    expect(parseNumberText('(1,000)')).toBe(-1000);
    expect(parseNumberText('1e6')).toBe(1e6);
    expect(parseNumberText('6,0', ',')).toBe(6);
    expect(parseNumberText('1.234,56', ',')).toBe(1234.56);
    expect(parseNumberText('1 234,5', ',')).toBe(1234.5);
    expect(parseNumberText('1,23')).toBeNull();
    expect(parseNumberText('6,0')).toBeNull();
    expect(parseNumberText('12abc')).toBeNull();
    expect(parseNumberText('−5')).toBe(-5);
  });

  it('reads currency with its symbol', () => {
    expect(parseCurrency('$1,000,000.00')).toEqual({ value: 1_000_000, symbol: '$' });
    expect(parseCurrency('-$5.50')).toEqual({ value: -5.5, symbol: '$' });
    expect(parseCurrency('($5.50)')).toEqual({ value: -5.5, symbol: '$' });
    expect(parseCurrency('€1.000,50', ',')).toEqual({ value: 1000.5, symbol: '€' });
    expect(parseCurrency('1 000 €', ',')).toEqual({ value: 1000, symbol: '€' });
    expect(parseCurrency('CHF 250,000')).toEqual({ value: 250000, symbol: 'CHF' });
    expect(parseCurrency('1,000')).toBeNull();
    expect(parseCurrency('($5.50')).toBeNull();
  });

  it('reads percentages as fractions', () => {
    expect(parsePercent('25%')).toBe(0.25);
    expect(parsePercent('12.5 %')).toBe(0.125);
    expect(parsePercent('7%')).toBe(0.07);
    expect(parsePercent('25')).toBeNull();
    expect(parsePercent('25', '.', false)).toBe(0.25);
  });

  it('reads dates month-first or day-first as told, and ISO and dotted dates whatever the order', () => {
    expect(parseDateText('1/31/2021')).toBe('2021-01-31');
    expect(parseDateText('31/1/2021', 'dmy')).toBe('2021-01-31');
    expect(parseDateText('31/1/2021', 'mdy')).toBeNull();
    expect(parseDateText('2021-01-31', 'dmy')).toBe('2021-01-31');
    expect(parseDateText('31.01.2021', 'mdy')).toBe('2021-01-31');
    expect(parseDateText('January 31, 2021')).toBe('2021-01-31');
    expect(parseDateText('31 Jan 2021')).toBe('2021-01-31');
    expect(parseDateText('2/30/2021')).toBeNull();
    expect(slashDateParts('17/7/2026')).toEqual([17, 7]);
  });

  it('reads Airtable date-times, in UTC unless a zone is given', () => {
    expect(parseDateTimeText('7/20/2026 12:32pm')).toBe('2026-07-20T12:32:00.000Z');
    expect(parseDateTimeText('7/20/2026 12:05am')).toBe('2026-07-20T00:05:00.000Z');
    expect(parseDateTimeText('1/19/2026 3:40pm')).toBe('2026-01-19T15:40:00.000Z');
    expect(parseDateTimeText('2026-07-20 14:05')).toBe('2026-07-20T14:05:00.000Z');
    expect(parseDateTimeText('2026-07-20T12:32:00.000Z')).toBe('2026-07-20T12:32:00.000Z');
    expect(parseDateTimeText('2026-07-20T14:32:00+02:00')).toBe('2026-07-20T12:32:00.000Z');
    expect(parseDateTimeText('7/20/2026 12:32pm', 'mdy', 'America/New_York')).toBe(
      '2026-07-20T16:32:00.000Z',
    );
    expect(parseDateTimeText('1/20/2026 12:32pm', 'mdy', 'Europe/Berlin')).toBe(
      '2026-01-20T11:32:00.000Z',
    );
    expect(parseDateTimeText('7/20/2026 13:32pm')).toBeNull();
  });
});
