import { type FieldDefinition } from '@crm/events';
import { formatCellText } from '../export/format-cell';
import { applyView } from '../filter/apply-view';
import { summarise } from '../filter/column-summary';
import { recordAccess, type ViewRecord } from '../filter/view-rows';
import { formulaCheck, formulaValue } from '../testing/formula-harness';
import { normalizeFieldOptions } from '../values/field-options';
import { storedToFormulaValue } from './stored-values';

/** Airtable shows a true/false formula as 1 or 0; so does a formula field here. */

const DATES = { Due: '2024-02-15', Start: '2024-02-01', Email: 'ann@fund.com' };

describe('a formula that gives true or false', () => {
  it.each([
    ['5 = 5', 1],
    ['5 = 4', 0],
    ['3 != 4', 1],
    ['3 > 4', 0],
    ['3 < 4', 1],
    ['4 >= 4', 1],
    ['5 <= 4', 0],
    ['AND(1, "x")', 1],
    ['AND(1, "")', 0],
    ['OR(0, "yes")', 1],
    ['OR(0, "")', 0],
    ['NOT(0)', 1],
    ['NOT(1)', 0],
    ['XOR(TRUE(), FALSE())', 1],
    ['XOR(TRUE(), TRUE())', 0],
    ['REGEX_MATCH({Email}, "@fund\\\\.com$")', 1],
    ['REGEX_MATCH({Email}, "^bob")', 0],
    ['IS_BEFORE({Start}, {Due})', 1],
    ['IS_BEFORE({Due}, {Start})', 0],
    ['IS_AFTER({Due}, {Start})', 1],
    ['IS_AFTER({Start}, {Due})', 0],
    ['IS_SAME({Due}, {Start}, "month")', 1],
    ['IS_SAME({Due}, {Start}, "day")', 0],
    ['TRUE()', 1],
    ['FALSE()', 0],
  ])('given dates and an email, when %s is the field, then its value is %p', (formula, want) => {
    expect(formulaValue(formula, DATES)).toBe(want);
    expect(formulaCheck(formula, DATES)).toBe('boolean');
  });

  it('given a comparison, when it is summed or joined inside a formula, then it counts as 1/0 as before', () => {
    expect(formulaValue('(5 = 5) + (1 > 2) + 1')).toBe(2);
    expect(formulaValue('(5 = 5) & ""')).toBe('1');
  });

  it('given a stored 1/0 (or a true/false stored before the change), when another formula reads it, then it reads as true/false', () => {
    expect(storedToFormulaValue(1, 'boolean')).toBe(true);
    expect(storedToFormulaValue(0, 'boolean')).toBe(false);
    expect(storedToFormulaValue(true, 'boolean')).toBe(true);
    expect(storedToFormulaValue(1, 'number')).toBe(1);
  });
});

const field = (options: Record<string, unknown>): FieldDefinition => ({
  id: 'fld_big',
  name: 'Big',
  type: 'formula',
  options: { formula: '{fld_amt} > 10', result_type: 'boolean', ...options },
  role: null,
});
const AMOUNT: FieldDefinition = {
  id: 'fld_amt',
  name: 'Amount',
  type: 'number',
  options: {},
  role: null,
};
const row = (id: string, big: unknown): ViewRecord => ({ id, values: { fld_big: big } });

describe('filters, sorts and summaries on a true/false formula', () => {
  const rows = [row('r1', 1), row('r2', 0), row('r3', true), row('r4', false), row('r5', null)];
  const ctx = { now: 0 };

  it('given 1/0 values (and old true/false ones), when filtered by "is true", then 1 and true pass', () => {
    const filters = {
      conjunction: 'and',
      conditions: [{ field_id: 'fld_big', operator: 'is', value: true }],
    };
    const shown = applyView(rows, [field({})], { filters }, recordAccess, ctx).map((r) => r.id);
    expect(shown).toEqual(['r1', 'r3']);
  });

  it('given 1/0 values, when filtered by "is false", then 0, false and blank pass', () => {
    const filters = {
      conjunction: 'and',
      conditions: [{ field_id: 'fld_big', operator: 'is', value: false }],
    };
    const shown = applyView(rows, [field({})], { filters }, recordAccess, ctx).map((r) => r.id);
    expect(shown).toEqual(['r2', 'r4', 'r5']);
  });

  it('given 1/0 values, when sorted descending, then the ticked ones come first', () => {
    const sorts = [{ field_id: 'fld_big', direction: 'desc' }];
    const shown = applyView(rows, [field({})], { sorts }, recordAccess, ctx).map((r) => r.id);
    expect(shown).toEqual(['r1', 'r3', 'r2', 'r4', 'r5']);
  });

  it('given 1/0 values, when the column counts filled cells, then a 0 counts as empty', () => {
    const values = rows.map((r) => r.values.fld_big);
    expect(summarise(values, field({}), 'filled').value).toBe(2);
  });
});

describe('how a true/false formula field shows and exports', () => {
  const ctx = { linkText: () => undefined, actorName: (id: string) => id };

  it('given a true/false formula, when exported, then it writes 1 or 0 (also for a value stored before 1/0)', () => {
    expect(formatCellText(field({}), 1, ctx)).toBe('1');
    expect(formatCellText(field({}), 0, ctx)).toBe('0');
    expect(formatCellText(field({}), true, ctx)).toBe('1');
    expect(formatCellText(field({}), false, ctx)).toBe('0');
  });

  const options = (o: Record<string, unknown>) =>
    normalizeFieldOptions('Big', 'formula', o, {
      tableExists: () => true,
      fields: [AMOUNT],
    });

  it('given display "checkbox" on a true/false formula, when saved, then the option is kept', () => {
    expect(options({ formula: '{Amount} > 10', display: 'checkbox' })).toEqual({
      formula: '{fld_amt} > 10',
      result_type: 'boolean',
      display: 'checkbox',
    });
  });

  it('given display "checkbox" on a number formula, when saved, then it shows as a number', () => {
    expect(options({ formula: '{Amount} * 2', display: 'checkbox' })).toEqual({
      formula: '{fld_amt} * 2',
      result_type: 'number',
    });
  });

  it('given display "currency" or "percent" on a number formula, when saved, then it is kept', () => {
    expect(options({ formula: '{Amount} * 2', display: 'currency', symbol: '€' })).toEqual({
      formula: '{fld_amt} * 2',
      result_type: 'number',
      display: 'currency',
      symbol: '€',
      precision: 2,
    });
    expect(options({ formula: '{Amount} / 100', display: 'percent', precision: 1 })).toEqual({
      formula: '{fld_amt} / 100',
      result_type: 'number',
      display: 'percent',
      precision: 1,
    });
    // Not a number: shown as what it gives.
    expect(options({ formula: '{Amount} > 10', display: 'percent' })).toEqual({
      formula: '{fld_amt} > 10',
      result_type: 'boolean',
    });
  });

  it('given an unknown display, when saved, then it is refused naming the option', () => {
    expect(() => options({ formula: '{Amount} > 10', display: 'stars' })).toThrow(
      expect.objectContaining({
        code: 'validation',
        details: expect.objectContaining({ option: 'display' }),
      }),
    );
  });
});
