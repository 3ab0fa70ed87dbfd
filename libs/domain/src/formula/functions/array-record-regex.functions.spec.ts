import { type FieldDefinition } from '@crm/events';
import { previewFormula } from '../preview';
import { formulaCheck, formulaValue, HARNESS_NOW } from '../../testing/formula-harness';

const ERR = expect.objectContaining({ error: expect.any(String) });

describe('array functions', () => {
  const F = { Tags: ['b', 'a', 'b', 'c'], Nums: ['1', '2'], Empty: null, Name: 'x' };
  it.each([
    ['ARRAYJOIN({Tags})', 'b, a, b, c'],
    ['ARRAYJOIN({Tags}, "; ")', 'b; a; b; c'],
    ['ARRAYJOIN({Empty}, "-")', null],
    ['ARRAYJOIN({Name}, "-")', 'x'],
    ['ARRAYUNIQUE({Tags})', ['b', 'a', 'c']],
    ['ARRAYCOMPACT({Tags})', ['b', 'a', 'b', 'c']],
    ['ARRAYCOMPACT({Empty})', []],
    ['ARRAYFLATTEN({Tags})', ['b', 'a', 'b', 'c']],
    ['ARRAYSLICE({Tags}, 2, 3)', ['a', 'b']],
    ['ARRAYSLICE({Tags}, 2)', ['a', 'b', 'c']],
    ['ARRAYSLICE({Tags}, -2)', ['b', 'c']],
    ['ARRAYSLICE({Tags}, 1, -2)', ['b', 'a', 'b']],
    ['ARRAYSLICE({Tags}, 3, 1)', []],
    ['ARRAYJOIN(ARRAYSLICE(ARRAYUNIQUE({Tags}), 1, 2), "+")', 'b+a'],
    ['COUNTALL(ARRAYUNIQUE({Tags}))', 3],
    ['LEN(ARRAYJOIN({Tags}, ""))', 4],
  ])('%s', (formula, expected) => {
    expect(formulaValue(formula, F)).toEqual(expected);
  });

  it('gives lists as the result type of list functions and text for ARRAYJOIN', () => {
    expect(formulaCheck('ARRAYUNIQUE({Tags})', F)).toBe('array');
    expect(formulaCheck('ARRAYJOIN({Tags})', F)).toBe('text');
  });
});

describe('record functions', () => {
  const fields: FieldDefinition[] = [
    { id: 'fld_status', name: 'Status', type: 'text', options: {}, role: null },
    { id: 'fld_amount', name: 'Amount', type: 'number', options: {}, role: null },
  ];
  const record = {
    id: 'recUmXEUgZEvQ6UBa',
    values: { fld_status: 'Lead', fld_amount: 5 },
    created_at: '2015-11-11T22:18:17.000Z',
    updated_at: '2026-01-05T10:00:00.000Z',
    cells: { fld_status: { at: '2025-12-01T09:00:00.000Z' } },
  };
  const run = (formula: string) => {
    const r = previewFormula({ formula, definitions: fields, record, now: HARNESS_NOW });
    return 'error' in r ? r.error : r.value;
  };
  it.each([
    ['CREATED_TIME()', '2015-11-11T22:18:17.000Z'],
    ['RECORD_ID()', 'recUmXEUgZEvQ6UBa'],
    ['LAST_MODIFIED_TIME()', '2026-01-05T10:00:00.000Z'],
    ['LAST_MODIFIED_TIME({Status})', '2025-12-01T09:00:00.000Z'],
    ['LAST_MODIFIED_TIME({Amount})', '2015-11-11T22:18:17.000Z'],
    ['LAST_MODIFIED_TIME({Amount}, {Status})', '2025-12-01T09:00:00.000Z'],
    ['"https://crm.example/" & RECORD_ID()', 'https://crm.example/recUmXEUgZEvQ6UBa'],
    ['DATETIME_DIFF(LAST_MODIFIED_TIME(), CREATED_TIME(), "years")', 10],
  ])('%s', (formula, expected) => {
    expect(run(formula)).toEqual(expected);
  });
});

describe('regex functions', () => {
  const F = { Email: 'ada@fund.example', Empty: null, Phone: '(555) 010-9999' };
  it.each([
    ['REGEX_MATCH("Hello World", "Hello.World")', 1],
    ['REGEX_EXTRACT("Hello World", "W.*")', 'World'],
    ['REGEX_REPLACE("Hello World", " W.*", "")', 'Hello'],
    ['REGEX_MATCH({Email}, "^[^@]+@[^@]+\\\\.[a-z]+$")', 1],
    ['REGEX_EXTRACT({Email}, "@(.*)")', '@fund.example'],
    ['REGEX_REPLACE({Phone}, "[^0-9]", "")', '5550109999'],
    ['REGEX_REPLACE({Email}, "(\\\\w+)@(\\\\w+)", "$2 at $1")', 'fund at ada.example'],
    ['REGEX_MATCH({Empty}, "x")', 0],
    ['REGEX_EXTRACT("abc", "z")', ERR],
    ['REGEX_MATCH("ABC", "(?i)abc")', 1],
    ['REGEX_MATCH(REPT("a", 3000) & "!", "(a+)+$")', 0],
    // Linear, but 30,000 characters take more machine steps than one record's work budget: a unit a step.
    [
      'REGEX_MATCH(REPT("a", 30000) & "!", "(a+)+$")',
      { error: 'the formula needs too much work for one record' },
    ],
    ['REGEX_MATCH("x", {Email})', 0],
  ])('%s', (formula, expected) => {
    expect(formulaValue(formula, F)).toEqual(expected);
  });

  it.each([
    ['REGEX_MATCH({Email}, "(a)\\\\1")', /backreferences/],
    ['REGEX_MATCH({Email}, "(?=x)")', /lookahead/],
    ['REGEX_REPLACE({Email}, "(", "")', /not closed/],
  ])('refuses the literal pattern in %s when it is saved', (formula, message) => {
    const r = formulaCheck(formula, F) as { message: string; position: number };
    expect(r.message).toMatch(message);
    expect(r.position).toBe(formula.indexOf('"', formula.indexOf(',')));
  });

  it('reports a bad pattern from a field as an error value', () => {
    expect(formulaValue('REGEX_MATCH("x", {P})', { P: '(unclosed' })).toEqual(ERR);
  });
});
