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
    ['AND(1, "x", TRUE())', 1],
    ['AND(1, "", TRUE())', 0],
    ['AND({Empty})', 0],
    ['AND({Tags}, {Done})', 1],
    ['OR(0, "", "yes")', 1],
    ['OR(0, {Empty}, FALSE())', 0],
    ['XOR(TRUE(), FALSE(), TRUE())', 0],
    ['XOR(TRUE(), FALSE(), FALSE())', 1],
    ['NOT({Zero} = 0)', 0],
    ['NOT({Empty})', 1],
    ['ISERROR(2/0)', 1],
    ['ISERROR(ERROR())', 1],
    ['ISERROR(1)', 0],
    ['ISERROR(VALUE("abc"))', 1],
    ['TRUE()', 1],
    ['FALSE()', 0],
    ['TRUE', 1],
    ['TRUE() + 1', 2],
    ['TRUE() = 1', 1],
    ['FALSE() = 0', 1],
    ['BLANK() = 0', 1],
    ['BLANK() = ""', 1],
    ['{Empty} = BLANK()', 1],
    ['{Zero} = BLANK()', 1],
    ['{Text} = BLANK()', 0],
    ['{Done} = TRUE()', 1],
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
