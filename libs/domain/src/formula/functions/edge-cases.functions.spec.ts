import { FORMULA_FUNCTIONS } from '.';
import { formulaValue } from '../../testing/formula-harness';

const ERR = expect.objectContaining({ error: expect.any(String) });

/** Blanks, wrong types and edge values for the functions the category tables touch least. */
describe('edge cases', () => {
  const F = { Empty: null, Word: 'Hello', N: -2.5, Tags: ['b', 'a'], Due: '2024-02-29', At: '2024-02-29T23:59:59Z', Nums: ['1', '2'] };
  it.each([
    ['LOWER({Empty})', null], ['LOWER(12)', '12'], ['LOWER("ÀÉÎ")', 'àéî'],
    ['TIMESTR({At})', '23:59:59'], ['TIMESTR({Empty})', ERR], ['TIMESTR("nope")', ERR],
    ['IS_BEFORE({Due}, {At})', true], ['IS_BEFORE({Empty}, {Due})', ERR], ['IS_AFTER("2024-03-01", {Due})', true],
    ['TONOW({Empty})', ERR], ['TONOW("2026-03-15")', 0], ['FROMNOW("2026-03-14T13:00:00Z")', 0],
    ['MONTH({Empty})', ERR], ['MONTH({Due})', 2], ['MINUTE({Due})', 0], ['SECOND({At})', 59], ['DAY({Due})', 29], ['YEAR({Due})', 2024],
    ['DATEADD({Due}, 1, "year")', '2025-02-28T00:00:00.000Z'], ['DATEADD({Due}, 1.6, "days")', '2024-03-02T00:00:00.000Z'], ['DATEADD({Due}, {Empty}, "days")', '2024-02-29T00:00:00.000Z'],
    ['COUNT({Empty})', 0], ['COUNTA({Empty})', 0], ['COUNTALL({Empty})', 1], ['COUNT(1, TRUE(), "2")', 1],
    ['MIN({Empty})', 0], ['MIN({N}, 3)', -2.5], ['MAX({Tags})', 0], ['SUM({Nums})', 0], ['AVERAGE(1, {Empty}, 3)', 2],
    ['XOR({Empty})', false], ['XOR(1, 1)', false], ['AND({Tags})', true], ['OR({Word})', true], ['NOT({Word})', false],
    ['ARRAYFLATTEN({Empty})', []], ['ARRAYFLATTEN({Word})', ['Hello']], ['ARRAYUNIQUE({Empty})', []], ['ARRAYJOIN({Tags}, {Empty})', 'b, a'],
    ['ARRAYSLICE({Tags}, 0)', ['b', 'a']], ['ARRAYSLICE({Tags}, 5)', []], ['ARRAYCOMPACT({Word})', ['Hello']],
    ['ABS(VALUE({Word}))', ERR], ['INT(VALUE("3.9"))', 3], ['SQRT(VALUE("abc"))', ERR], ['MOD({N}, 2)', -0.5], ['POWER(0, 0)', 1], ['EXP({Empty})', 1],
    ['CEILING({Empty})', 0], ['FLOOR({N})', -3], ['EVEN({Empty})', 0], ['ODD({N})', -3], ['LOG(1)', 0],
    ['ROUND({Empty}, 2)', 0], ['ROUNDUP({N}, 0)', -3], ['ROUNDDOWN({N}, 0)', -2], ['ROUND({N}, 0)', -2],
    ['FIND("", "abc")', 1], ['SEARCH("", {Empty})', 1], ['LEN({Tags})', 4], ['REPT({Word}, 1.9)', 'Hello'],
    ['CONCATENATE({Tags}, "|", {N})', 'b, a|-2.5'], ['T({Empty})', null], ['TRIM({Empty})', null], ['UPPER({Tags})', 'B, A'],
    ['SUBSTITUTE({Empty}, "a", "b")', null], ['REPLACE({Empty}, 1, 1, "x")', 'x'], ['MID({Word}, 1, 100)', 'ello'], ['LEFT({Word}, 0)', null],
    ['SWITCH({Empty}, "", "blank", "other")', 'blank'], ['IF({Empty} = 0, "zero-ish")', 'zero-ish'], ['ISERROR({Empty})', false],
    ['WEEKDAY({Due})', 4], ['WEEKNUM({Due})', 9], ['WORKDAY({Due}, 1)', '2024-03-01T00:00:00.000Z'], ['WORKDAY_DIFF({Due}, {Due})', 1],
    ['IS_SAME({Due}, "2024-02-01", "month")', true], ['IS_SAME({Due}, "2025-02-28", "year")', false],
    ['DATETIME_DIFF({At}, {Due}, "minutes")', 1439], ['DATETIME_DIFF({Due}, {At}, "hours")', -23],
    ['REGEX_MATCH({Empty}, "")', true], ['REGEX_EXTRACT({Word}, "[aeiou]+")', 'e'], ['REGEX_REPLACE({Word}, "l+", "L")', 'HeLo'],
    ['ENCODE_URL_COMPONENT({Tags})', 'b%2C%20a'], ['DATESTR(SET_TIMEZONE({At}, "Asia/Tokyo"))', '2024-03-01'],
    ['DATETIME_FORMAT(SET_LOCALE({Due}, "de"), "dddd")', 'Donnerstag'],
  ])('%s', (formula, expected) => {
    expect(formulaValue(formula, F)).toEqual(expected);
  });

  it("implements exactly Airtable's function set", () => {
    const airtable = [
      'CONCATENATE', 'ENCODE_URL_COMPONENT', 'FIND', 'LEFT', 'LEN', 'LOWER', 'MID', 'REPLACE', 'REPT', 'RIGHT', 'SEARCH', 'SUBSTITUTE', 'T', 'TRIM', 'UPPER',
      'AND', 'BLANK', 'ERROR', 'FALSE', 'IF', 'ISERROR', 'NOT', 'OR', 'SWITCH', 'TRUE', 'XOR',
      'ABS', 'AVERAGE', 'CEILING', 'COUNT', 'COUNTA', 'COUNTALL', 'EVEN', 'EXP', 'FLOOR', 'INT', 'LOG', 'MAX', 'MIN', 'MOD', 'ODD', 'POWER', 'ROUND', 'ROUNDDOWN', 'ROUNDUP', 'SQRT', 'SUM', 'VALUE',
      'DATEADD', 'DATESTR', 'DATETIME_DIFF', 'DATETIME_FORMAT', 'DATETIME_PARSE', 'DAY', 'FROMNOW', 'HOUR', 'IS_AFTER', 'IS_BEFORE', 'IS_SAME', 'LAST_MODIFIED_TIME', 'MINUTE', 'MONTH', 'NOW',
      'SECOND', 'SET_LOCALE', 'SET_TIMEZONE', 'TIMESTR', 'TODAY', 'TONOW', 'WEEKDAY', 'WEEKNUM', 'WORKDAY', 'WORKDAY_DIFF', 'YEAR',
      'ARRAYCOMPACT', 'ARRAYFLATTEN', 'ARRAYJOIN', 'ARRAYUNIQUE', 'ARRAYSLICE', 'CREATED_TIME', 'RECORD_ID', 'REGEX_MATCH', 'REGEX_EXTRACT', 'REGEX_REPLACE',
    ];
    expect([...FORMULA_FUNCTIONS.keys()].sort()).toEqual([...airtable].sort());
  });
});
