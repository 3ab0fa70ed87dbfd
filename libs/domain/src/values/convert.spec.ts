import { type CellValue, type FieldDefinition } from '@crm/events';
import { type Conversion, convertValue } from './convert';

const STAGES = { choices: [{ name: 'Lead' }, { name: 'Engaged' }, { name: 'Committed' }] };

const f = (type: string, options: Record<string, unknown> = {}): FieldDefinition => ({
  id: 'fld_1',
  name: 'Cell',
  type,
  options,
  role: null,
});
const text = f('text');
const number = f('number', { precision: 0 });
const select = f('single_select', STAGES);
const multi = f('multiple_select', STAGES);

const ok = (value: CellValue): Conversion => ({ ok: true, value });
const notOk: Conversion = { ok: false };

describe('convertValue (retyping a field)', () => {
  it.each<[string, FieldDefinition, FieldDefinition, CellValue, Conversion]>([
    // text → number: currency signs, thousands separators and spaces are dropped
    ['text→number', text, number, '$1,000', ok(1000)],
    ['text→number', text, number, '1 000 000', ok(1_000_000)],
    ['text→number', text, number, '-3.5', ok(-3.5)],
    ['text→number', text, number, '€12', ok(12)],
    ['text→number', text, number, '1e3', ok(1000)],
    ['text→number', text, number, 'abc', notOk],
    ['text→number', text, number, '1.2.3', notOk],
    ['text→number', text, number, '12abc', notOk],
    ['text→number', text, number, '-', notOk],
    // one number parser, with the decimal point: a separator in the wrong place does not convert
    ['text→number Swiss grouping', text, number, "1'000'000", ok(1_000_000)],
    ['text→number decimal comma', text, number, '1,5', notOk],
    ['text→number European amount', text, number, '1.500,50', notOk],
    ['text→number', text, number, '(500)', ok(-500)],
    ['text→currency', text, f('currency', { symbol: '$', precision: 2 }), '$2,500.50', ok(2500.5)],
    ['text→percent with a sign', text, f('percent'), '12.5%', ok(0.125)],
    ['text→percent without a sign', text, f('percent'), '12.5', ok(12.5)],
    ['number→percent', number, f('percent'), 50, ok(50)],
    ['percent→number', f('percent'), number, 0.5, ok(0.5)],
    // checkbox
    ['text→checkbox yes', text, f('checkbox'), 'yes', ok(true)],
    ['text→checkbox Checked', text, f('checkbox'), 'Checked', ok(true)],
    ['text→checkbox x', text, f('checkbox'), ' X ', ok(true)],
    ['text→checkbox no', text, f('checkbox'), 'no', ok(false)],
    ['text→checkbox off', text, f('checkbox'), 'off', ok(false)],
    ['text→checkbox maybe', text, f('checkbox'), 'maybe', notOk],
    ['number→checkbox 0', number, f('checkbox'), 0, ok(false)],
    ['number→checkbox 2', number, f('checkbox'), 2, ok(true)],
    ['checkbox→text true', f('checkbox'), text, true, ok('checked')],
    ['checkbox→text false', f('checkbox'), text, false, ok(null)],
    ['checkbox→checkbox false', f('checkbox'), f('checkbox'), false, ok(false)],
    // back to text
    ['number→text', number, text, 42, ok('42')],
    ['number→text decimal', number, text, 1000.5, ok('1000.5')],
    ['multiple_select→text', multi, text, ['Lead', 'Engaged'], ok('Lead, Engaged')],
    ['date→long_text', f('date'), f('long_text'), '2024-03-01', ok('2024-03-01')],
    // dates
    ['date→date_time', f('date'), f('date_time'), '2024-03-01', ok('2024-03-01T00:00:00.000Z')],
    ['date_time→date', f('date_time'), f('date'), '2024-03-01T22:30:00.000Z', ok('2024-03-01')],
    ['text→date', text, f('date'), '2024-03-01', ok('2024-03-01')],
    ['text→date impossible', text, f('date'), '2021-02-30', notOk],
    ['text→date other format', text, f('date'), '03/01/2024', notOk],
    [
      'text→date_time with zone',
      text,
      f('date_time'),
      '2024-03-01T10:00:00+01:00',
      ok('2024-03-01T09:00:00.000Z'),
    ],
    ['number→date', number, f('date'), 20240301, notOk],
    // selects
    [
      'text→multiple_select from comma text',
      text,
      multi,
      'Lead, Engaged,,',
      ok(['Lead', 'Engaged']),
    ],
    ['text→multiple_select with an unknown choice', text, multi, 'Lead, Unknown', notOk],
    ['single_select→multiple_select', select, multi, 'Lead', ok(['Lead'])],
    ['multiple_select→single_select one', multi, select, ['Lead'], ok('Lead')],
    ['multiple_select→single_select two', multi, select, ['Lead', 'Engaged'], notOk],
    ['text→single_select', text, select, 'Committed', ok('Committed')],
    ['text→single_select wrong case', text, select, 'committed', notOk],
    // other text-like types
    ['text→url', text, f('url'), 'example.com', ok('https://example.com')],
    ['text→url javascript', text, f('url'), 'javascript:alert(1)', notOk],
    ['text→email', text, f('email'), 'not an email', notOk],
    // links
    [
      'link→link same table',
      f('link', { table_id: 'tbl_a' }),
      f('link', { table_id: 'tbl_a' }),
      ['rec_1'],
      ok(['rec_1']),
    ],
    [
      'link→link other table',
      f('link', { table_id: 'tbl_a' }),
      f('link', { table_id: 'tbl_b' }),
      ['rec_1'],
      notOk,
    ],
    ['text→link', text, f('link', { table_id: 'tbl_a' }), 'rec_1', notOk],
    // empties convert to the empty value of the new type
    ['empty→number', text, number, null, ok(null)],
    ['empty list→text', multi, text, [], ok(null)],
    ['empty→checkbox', text, f('checkbox'), null, ok(false)],
    ['empty text→checkbox', text, f('checkbox'), '', ok(false)],
  ])('%s: %j', (_label, from, to, value, expected) => {
    expect(convertValue(value, from, to)).toEqual(expected);
  });
});
