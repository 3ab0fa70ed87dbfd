import { formulaCheck, formulaValue, HARNESS_NOW } from '../../testing/formula-harness';

const ERR = expect.objectContaining({ error: expect.any(String) });

describe('date and time functions', () => {
  const F = {
    Due: '2021-06-09',
    Start: '2021-06-01',
    At: '2021-06-09T15:45:30Z',
    Empty: null,
    Word: 'soon',
    N: 3,
  };
  it.each([
    // Airtable's documented examples
    ['DATESTR(DATEADD("07/10/19", 10, "days"))', '2019-07-20'],
    ['DATESTR("12/13/21")', '2021-12-13'],
    ['DATETIME_DIFF("04/06/2019 12:00", "04/04/2019 11:00", "hours")', 49],
    ['DATETIME_DIFF("2022/10/14", "2022/10/15", "seconds")', -86400],
    ['DATETIME_FORMAT("10/13/2019", "DD-MM-YYYY")', '13-10-2019'],
    ['DATETIME_PARSE("4 Mar 2017 23:00", \'D MMM YYYY HH:mm\')', '2017-03-04T23:00:00.000Z'],
    [
      "DATETIME_PARSE(\"4 mars 2017 23:00\", 'D MMMM YYYY HH:mm', 'fr')",
      '2017-03-04T23:00:00.000Z',
    ],
    ['DAY("02/17/2013 7:31pm")', 17],
    ['HOUR("4 March 2017 7:00")', 7],
    ['MINUTE("02/17/2013 7:31pm")', 31],
    ['MONTH("02/17/2013 7:31pm")', 2],
    ['SECOND("02/17/2013 7:31:25pm")', 25],
    ['TIMESTR("02/17/2013 7:31pm")', '19:31:00'],
    ['WEEKDAY("2021-06-09")', 3],
    ['WEEKNUM("02/17/2013")', 8],
    ["DATESTR(WORKDAY('10/16/20', 10))", '2020-10-30'],
    ["WORKDAY_DIFF('06/01/2021', '06/30/2021')", 22],
    ['YEAR("2021-06-09")', 2021],
    ["DATETIME_FORMAT(SET_TIMEZONE({At}, 'Australia/Sydney'), 'M/D/YYYY h:mm')", '6/10/2021 1:45'],
    ["DATETIME_FORMAT(SET_LOCALE({Due}, 'fr'), 'D MMMM YYYY')", '9 juin 2021'],
    // Fields, units and formats
    ['DATEADD({Due}, 1, "month")', '2021-07-09T00:00:00.000Z'],
    ['DATEADD("2021-01-31", 1, "months")', '2021-02-28T00:00:00.000Z'],
    ['DATEADD({Due}, -2, "weeks")', '2021-05-26T00:00:00.000Z'],
    ['DATEADD({At}, 90, "minutes")', '2021-06-09T17:15:30.000Z'],
    ['DATEADD({Due}, {N}, "y")', '2024-06-09T00:00:00.000Z'],
    ['DATEADD({Due}, 1, "Q")', '2021-09-09T00:00:00.000Z'],
    ['DATETIME_DIFF({Due}, {Start}, "days")', 8],
    ['DATETIME_DIFF({Start}, {Due}, "d")', -8],
    ['DATETIME_DIFF({Due}, {Start})', 691200],
    ['DATETIME_DIFF({Due}, {Start}, "weeks")', 1],
    ['DATETIME_DIFF("2021-03-31", "2021-01-31", "months")', 2],
    ['DATETIME_DIFF("2021-03-30", "2021-01-31", "months")', 1],
    ['DATETIME_DIFF("2024-06-09", "2021-06-10", "years")', 2],
    ['DATETIME_DIFF({Due}, {Start}, "fortnights")', 691200000],
    ['DATETIME_FORMAT({At})', '2021-06-09T15:45:30.000Z'],
    ["DATETIME_FORMAT({At}, 'YYYY-MM-DD HH:mm:ss')", '2021-06-09 15:45:30'],
    ["DATETIME_FORMAT({At}, 'dddd, MMMM Do YYYY, h:mm a')", 'Wednesday, June 9th 2021, 3:45 pm'],
    ["DATETIME_FORMAT({At}, 'LL')", 'June 9, 2021'],
    ["DATETIME_FORMAT({At}, 'L LT')", '06/09/2021 3:45 PM'],
    ["DATETIME_FORMAT({At}, '[Q]Q YY ddd MMM')", 'Q2 21 Wed Jun'],
    ["DATETIME_FORMAT({At}, 'X')", '1623253530'],
    ["DATETIME_FORMAT(SET_TIMEZONE({At}, 'America/New_York'), 'HH:mm Z')", '11:45 -04:00'],
    ["HOUR(SET_TIMEZONE({At}, 'Asia/Kolkata'))", 21],
    ["DATETIME_PARSE('2021-06-09')", '2021-06-09T00:00:00.000Z'],
    ["DATETIME_PARSE('09/06/2021', 'DD/MM/YYYY')", '2021-06-09T00:00:00.000Z'],
    ["DATETIME_PARSE('1623253530', 'X')", '2021-06-09T15:45:30.000Z'],
    ["DATETIME_PARSE('June 9th, 2021 3:45pm', 'MMMM Do, YYYY h:mma')", '2021-06-09T15:45:00.000Z'],
    ["DATETIME_PARSE('not a date')", ERR],
    ["DATETIME_PARSE('31/02/2021', 'DD/MM/YYYY')", ERR],
    ['DAY({Due})', 9],
    ['MONTH({Due})', 6],
    ['YEAR({At})', 2021],
    ['HOUR({At})', 15],
    ['MINUTE({At})', 45],
    ['SECOND({At})', 30],
    ['WEEKDAY({Due}, "Monday")', 2],
    ['WEEKDAY("2021-06-06")', 0],
    ['WEEKDAY("2021-06-06", "Monday")', 6],
    ['WEEKNUM("2021-01-01")', 1],
    ['WEEKNUM("2021-01-03")', 2],
    ['WEEKNUM("2021-01-03", "Monday")', 1],
    ['IS_AFTER({Due}, {Start})', 1],
    ['IS_BEFORE({Due}, {Start})', 0],
    ['IS_AFTER({Due}, {Due})', 0],
    ['IS_SAME({Due}, {At})', 0],
    ["IS_SAME({Due}, {At}, 'day')", 1],
    ["IS_SAME({Due}, {Start}, 'month')", 1],
    ["IS_SAME({Due}, {Start}, 'week')", 0],
    ["DATESTR(WORKDAY('10/16/20', 10, '2020-10-19'))", '2020-11-02'],
    ["DATESTR(WORKDAY('2020-10-30', -5))", '2020-10-23'],
    ["DATESTR(WORKDAY('2020-10-30', 0))", '2020-10-30'],
    ["WORKDAY_DIFF('06/01/2021', '06/30/2021', '2021-06-04, 2021-06-05')", 21],
    ["WORKDAY_DIFF('06/30/2021', '06/01/2021')", -22],
    ["WORKDAY_DIFF('2021-06-05', '2021-06-06')", 0],
    ["WORKDAY({Due}, 1, 'not a date')", ERR],
    ['NOW()', new Date(HARNESS_NOW).toISOString()],
    ['TODAY()', '2026-03-15T00:00:00.000Z'],
    ['DATETIME_DIFF(NOW(), {Due}, "days")', 1740],
    ['TONOW({Due})', 1740],
    ['FROMNOW({Due})', 1740],
    ['FROMNOW("2026-03-20")', 4],
    ['IS_AFTER(TODAY(), {Due})', 1],
    ['"Due " & {Due}', 'Due 2021-06-09T00:00:00.000Z'],
    ['{Due} = "2021-06-09"', 1],
    ['{Due} < "2021-06-10"', 1],
    // Blanks and bad values are errors, as in Airtable
    ['DATEADD({Empty}, 1, "days")', ERR],
    ['DATETIME_FORMAT({Empty}, "YYYY")', ERR],
    ['YEAR({Word})', ERR],
    ['DATETIME_DIFF({Due}, {Empty}, "days")', ERR],
    ["SET_TIMEZONE({Due}, 'Mars/Olympus')", ERR],
    ["SET_LOCALE({Due}, '')", ERR],
    ['IF({Empty}, DATETIME_FORMAT({Empty}, "YYYY"), "none")', 'none'],
  ])('%s', (formula, expected) => {
    expect(formulaValue(formula, F)).toEqual(expected);
  });

  it.each([
    [
      'YEAR(5)',
      /YEAR\(\) expects a date as its first argument, but it is a number; DATETIME_PARSE/,
    ],
    ['DATEADD({Due}, 1, "fortnights")', /"fortnights" is not a unit/],
    ['WEEKDAY({Due}, "Tuesday")', /starts on "Sunday" or "Monday"/],
    ['{Due} + 1', /use DATEADD\(\)/],
    ['{Due} - {Start}', /use DATETIME_DIFF\(\)/],
    ['LAST_MODIFIED_TIME("x")', /takes field references/],
  ])('refuses %s when it is saved', (formula, message) => {
    expect((formulaCheck(formula, F) as { message: string }).message).toMatch(message);
  });

  it('knows date result types', () => {
    expect(formulaCheck('DATEADD({Due}, 1, "days")', F)).toBe('date');
    expect(formulaCheck('DATETIME_FORMAT({Due})', F)).toBe('text');
    expect(formulaCheck('IS_SAME({Due}, {Start})', F)).toBe('boolean');
    expect(formulaCheck('NOW()', F)).toBe('date');
  });
});
