import { type FieldDefinition } from '@crm/events';
import { domainErrorOf } from '../testing/domain-error-of';
import { checkSummaries, summarise, summaryKindsFor } from './column-summary';
import { validateViewConfig } from './validate-view-config';

const f = (id: string, type: string, options: Record<string, unknown> = {}): FieldDefinition => ({
  id,
  name: id,
  type,
  options,
  role: null,
});
const amount = f('amount', 'currency');
const name = f('name', 'text');
const next = f('next', 'date');
const tags = f('tags', 'multiple_select', { choices: [{ name: 'Anchor' }, { name: 'ESG' }] });
const done = f('done', 'checkbox');
const fee = f('fee', 'formula', { formula: '{amount} * 0.02', result_type: 'number' });
const FIELDS = [amount, name, next, tags, done, fee];

describe('summarise: one column of the rows a view shows', () => {
  it('given amounts with blanks, when summed or averaged, then blanks are skipped and cents add up exactly', () => {
    const values = [0.1, 0.2, null, 1_000_000, undefined];
    expect(summarise(values, amount, 'sum')).toEqual({ kind: 'sum', value: 1_000_000.3, rows: 5 });
    expect(summarise(values, amount, 'average')).toEqual({
      kind: 'average',
      value: 333_333.433333333,
      rows: 5,
    });
    expect(summarise(values, amount, 'min').value).toBe(0.1);
    expect(summarise(values, amount, 'max').value).toBe(1_000_000);
  });

  it('given amounts in two currencies, when summed or averaged, then per currency and no one figure', () => {
    const values = [10, 5, null, 7];
    const codes = ['CHF', 'USD', 'CHF', 'CHF'];
    expect(summarise(values, amount, 'sum', codes)).toEqual({
      kind: 'sum',
      value: null,
      rows: 4,
      by_currency: { CHF: 17, USD: 5 },
    });
    expect(summarise(values, amount, 'average', codes).by_currency).toEqual({ CHF: 8.5, USD: 5 });
    expect(summarise(values, amount, 'filled', codes)).toEqual({
      kind: 'filled',
      value: 3,
      rows: 4,
    });
  });

  it('given amounts all in one currency, when summed, then one figure', () => {
    expect(summarise([10, 7, null], amount, 'sum', ['CHF', 'CHF', 'USD'])).toEqual({
      kind: 'sum',
      value: 17,
      rows: 3,
    });
  });

  it('given no numbers, when summed, then 0; when averaged, min or max, then nothing', () => {
    expect(summarise([null, null], amount, 'sum').value).toBe(0);
    expect(summarise([], amount, 'average').value).toBeNull();
    expect(summarise([null], amount, 'min').value).toBeNull();
  });

  it('given a formula with an error on one record, when summed, then the error counts as empty', () => {
    const values = [500_000, { error: 'Division by zero' }, 20_000];
    expect(summarise(values, fee, 'sum').value).toBe(520_000);
    expect(summarise(values, fee, 'filled').value).toBe(2);
    expect(summarise(values, fee, 'empty').value).toBe(1);
  });

  it('given texts, lists and boxes, when counted, then empty text, empty lists and unticked boxes are empty', () => {
    expect(summarise(['Yale', '', null, 'Harbor'], name, 'filled').value).toBe(2);
    expect(summarise(['Yale', '', null, 'Harbor'], name, 'empty').value).toBe(2);
    expect(summarise([['Anchor'], [], ['ESG', 'Anchor']], tags, 'filled').value).toBe(2);
    expect(summarise([true, false, true, null], done, 'filled').value).toBe(2);
    expect(summarise([true, false, true, null], done, 'percent_filled').value).toBe(0.5);
    expect(summarise([], done, 'percent_filled').value).toBeNull();
  });

  it('given repeated values, when unique values are counted, then the same text (in either Unicode form) and the same list in any order count once', () => {
    expect(summarise(['Café', 'Cafe\u0301', 'Yale', '', null], name, 'unique').value).toBe(2);
    expect(
      summarise([['Anchor', 'ESG'], ['ESG', 'Anchor'], ['Anchor']], tags, 'unique').value,
    ).toBe(2);
  });

  it('given dates, when the earliest and latest are asked for, then they come back as stored', () => {
    const values = ['2026-03-20', null, '2025-12-01', '2026-01-15'];
    expect(summarise(values, next, 'min').value).toBe('2025-12-01');
    expect(summarise(values, next, 'max').value).toBe('2026-03-20');
  });

  it('offers arithmetic for numbers only, earliest/latest for dates, counts for everything', () => {
    expect(summaryKindsFor(amount)).toEqual([
      'filled',
      'empty',
      'percent_filled',
      'unique',
      'sum',
      'average',
      'min',
      'max',
    ]);
    expect(summaryKindsFor(fee)).toContain('sum');
    expect(summaryKindsFor(next)).toEqual([
      'filled',
      'empty',
      'percent_filled',
      'unique',
      'min',
      'max',
    ]);
    expect(summaryKindsFor(name)).toEqual(['filled', 'empty', 'percent_filled', 'unique']);
    expect(summaryKindsFor(done)).toEqual(['filled', 'empty', 'percent_filled']);
  });
});

describe("a view's summaries setting", () => {
  const byId = new Map(FIELDS.map((x) => [x.id, x]));

  it('given summaries that fit their fields, when the view is saved, then they are kept; removed fields are dropped', () => {
    expect(
      validateViewConfig({ summaries: { amount: 'sum', name: 'filled', fld_gone: 'sum' } }, FIELDS)
        .summaries,
    ).toEqual({ amount: 'sum', name: 'filled' });
  });

  it('given a sum of a text field, when checked, then it is refused naming the field and the reason', () => {
    const e = domainErrorOf(() => checkSummaries({ name: 'sum' }, byId));
    expect(e.code).toBe('validation');
    expect(e.message).toBe(
      'summaries.name: "sum" does not fit field "name" (text); use one of filled, empty, percent_filled, unique',
    );
    expect(e.details).toMatchObject({ field: 'summaries.name', reason: 'summary_does_not_fit' });
  });

  it.each([[[]], ['sum'], [null]])(
    'given %j instead of an object, when checked, then it is refused',
    (raw) => {
      expect(domainErrorOf(() => checkSummaries(raw, byId)).details).toMatchObject({
        field: 'summaries',
      });
    },
  );
});
