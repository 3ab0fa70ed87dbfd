import { formulaCheck, formulaValue } from '../../testing/formula-harness';

const ERR = expect.objectContaining({ error: expect.any(String) });

describe('logical functions', () => {
  const F = {
    Price: 1_500_000,
    Zero: 0,
    Empty: null,
    Text: 'x',
    Done: true,
    Priority: 2,
    Status: 'Lead',
    Tags: ['a'],
  };
  it.each([
    [
      'IF({Price} > 1000000, "Wow, that\'s pretty expensive", BLANK())',
      "Wow, that's pretty expensive",
    ],
    ['IF({Zero} > 1000000, "Wow", BLANK())', null],
    ['IF({Price} < 0, ERROR(), "More than zero!")', 'More than zero!'],
    ['IF({Zero} - 1 < 0, ERROR(), "More than zero!")', ERR],
    ['IF({Empty}, "yes", "no")', 'no'],
    ['IF({Text}, "yes", "no")', 'yes'],
    ['IF({Tags}, "yes", "no")', 'yes'],
    ['IF(0, "yes")', null],
    ['IF(1/0, "a", "b")', ERR],
    ['IF(TRUE(), "a", 1/0)', 'a'],
    ['AND(1, "x", TRUE())', true],
    ['AND(1, "", TRUE())', false],
    ['AND({Empty})', false],
    ['AND({Tags}, {Done})', true],
    ['OR(0, "", "yes")', true],
    ['OR(0, {Empty}, FALSE())', false],
    ['XOR(TRUE(), FALSE(), TRUE())', false],
    ['XOR(TRUE(), FALSE(), FALSE())', true],
    ['NOT({Zero} = 0)', false],
    ['NOT({Empty})', true],
    ['ISERROR(2/0)', true],
    ['ISERROR(ERROR())', true],
    ['ISERROR(1)', false],
    ['ISERROR(VALUE("abc"))', true],
    ['TRUE()', true],
    ['FALSE()', false],
    ['TRUE', true],
    ['TRUE() + 1', 2],
    ['TRUE() = 1', true],
    ['FALSE() = 0', true],
    ['BLANK() = 0', true],
    ['BLANK() = ""', true],
    ['{Empty} = BLANK()', true],
    ['{Zero} = BLANK()', true],
    ['{Text} = BLANK()', false],
    ['{Done} = TRUE()', true],
    ['SWITCH({Priority}, 1, "Urgent", 2, "High", "Medium")', 'High'],
    ['SWITCH(7, 1, "Urgent", 2, "High", "Medium")', 'Medium'],
    ['SWITCH(7, 1, "Urgent", 2, "High")', null],
    ['SWITCH({Status}, "Lead", 1, "Engaged", 2)', 1],
    ['SWITCH({Empty}, 0, "zero", "", "empty", "other")', 'empty'],
    ['SWITCH(0, "", "empty", 0, "zero")', 'zero'],
    ['SWITCH(1/0, 1, "a")', ERR],
    ['ERROR()', ERR],
  ])('%s', (formula, expected) => {
    expect(formulaValue(formula, F)).toEqual(expected);
  });

  it('types IF and SWITCH by their branches', () => {
    expect(formulaCheck('IF({Done}, 1, 2)', F)).toBe('number');
    expect(formulaCheck('IF({Done}, 1)', F)).toBe('number');
    expect(formulaCheck('IF({Done}, 1, "x")', F)).toBe('text');
    expect(formulaCheck('IF({Done}, "a", BLANK())', F)).toBe('text');
    expect(formulaCheck('SWITCH({Priority}, 1, "a", 2, "b")', F)).toBe('text');
    expect(formulaCheck('AND({Done}, 1)', F)).toBe('boolean');
    expect(formulaCheck('IF({Price} < 0, ERROR(), {Price})', F)).toBe('number');
  });

  it('turns a mixed IF into text on the stored value', () => {
    expect(formulaValue('IF({Done}, 1, "x")', F)).toBe('1');
  });

  it.each([
    ['IF({Done})', /IF\(\) takes 2 to 3 arguments, not 1/],
    ['NOT()', /NOT\(\) takes 1 argument, not 0/],
    ['SWITCH(1)', /at least 2/],
  ])('refuses %s', (formula, message) => {
    expect((formulaCheck(formula, F) as { message: string }).message).toMatch(message);
  });
});
