import { givenColumn } from '../../testing/given-column';
import { inferDates } from './infer-dates.step';

describe('inferDates (a step of inferColumn)', () => {
  it('given slash dates only day-first allows, reads them day first', () => {
    const r = inferDates(givenColumn('Met', ['31/1/2021', '2/2/2021']));
    expect(r).toMatchObject({ inferred_type: 'date', format: { date_order: 'dmy' } });
  });

  it('given dates with a time of day, is a date-time', () => {
    const r = inferDates(givenColumn('At', ['7/20/2026 12:32pm', '7/21/2026 9:00am']));
    expect(r?.inferred_type).toBe('date_time');
  });

  it('given dates that need both orders, reports the ambiguity with a value and line of each', () => {
    const r = inferDates(givenColumn('Met', ['31/1/2021', '1/31/2021']));
    expect(r).toMatchObject({
      inferred_type: 'date',
      confidence: 0.3,
      format: { date_order: null },
      date_ambiguity: {
        day_first: { value: '31/1/2021', line: 2 },
        month_first: { value: '1/31/2021', line: 3 },
      },
    });
  });

  it('given dates of either order in every value, reads month first with less confidence', () => {
    const r = inferDates(
      givenColumn('Met', ['1/2/2021', '3/4/2021', '5/6/2021', '7/8/2021', '9/10/2021']),
    );
    expect(r).toMatchObject({ confidence: 0.85, format: { date_order: 'mdy' } });
    expect(r?.notes[0]).toMatch(/^every slash date has day and month of 12 or less/);
  });

  it('given values that are not dates, leaves the column to the next step', () => {
    expect(inferDates(givenColumn('Name', ['Acme', 'Beta']))).toBeNull();
    expect(inferDates(givenColumn('Met', ['1/2/2021', 'soon']))).toBeNull();
  });
});
