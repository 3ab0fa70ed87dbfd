import { givenColumn } from '../../testing/given-column';
import { inferAmounts } from './infer-amounts.step';

describe('inferAmounts (a step of inferColumn)', () => {
  it('given amounts in one currency, is a currency with its symbol and precision', () => {
    const r = inferAmounts(givenColumn('Target', ['$1,000,000.00', '$250.5']));
    expect(r).toMatchObject({ inferred_type: 'currency', options: { symbol: '$', precision: 2 } });
  });

  it('given amounts in several currencies, is text and says why', () => {
    const r = inferAmounts(givenColumn('Target', ['$100', '€200']));
    expect(r?.inferred_type).toBe('text');
    expect(r?.notes).toEqual(['amounts in several currencies ($, €): imported as text']);
  });

  it('given percentages, is a percent', () => {
    expect(inferAmounts(givenColumn('Fee', ['25%', '2.5%']))).toMatchObject({
      inferred_type: 'percent',
      options: { precision: 1 },
    });
  });

  it('given years under a year header, is a number shown without separators', () => {
    const r = inferAmounts(givenColumn('Vintage', ['2019', '2021']));
    expect(r).toMatchObject({
      inferred_type: 'number',
      options: { precision: 0, thousands_separator: false },
    });
  });

  it('given numbers with a leading zero, is none of them', () => {
    expect(inferAmounts(givenColumn('Zip', ['01234', '02345']))).toBeNull();
  });

  it('given mostly numbers, leaves the column as text with a note', () => {
    const values = [...Array.from({ length: 19 }, (_, i) => String(i + 1)), 'n/a'];
    const c = givenColumn('Count', values);
    expect(inferAmounts(c)).toBeNull();
    expect(c.notes).toEqual([
      '95% of the values are numbers; imported as text so that none is lost',
    ]);
  });
});
