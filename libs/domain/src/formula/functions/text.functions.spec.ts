import { formulaCheck, formulaValue } from '../../testing/formula-harness';

const ERR = expect.objectContaining({ error: expect.any(String) });

/** Text functions: Airtable's documented examples first, then blanks, wrong types and edges. */
describe('text functions', () => {
  const F = {
    Name: 'Ada Lovelace',
    Empty: null,
    Amount: 43,
    Tags: ['a', 'b'],
    Spaces: '  hi  ',
    Quote: 'say "hi"',
  };
  it.each([
    // &
    ['"Hello" & " " & "World"', 'Hello World'],
    ['{Name} & " - " & {Amount}', 'Ada Lovelace - 43'],
    ['{Empty} & "x"', 'x'],
    ['{Tags} & ""', 'a, b'],
    ['1 & 2', '12'],
    ['TRUE() & ""', '1'],
    // CONCATENATE
    ['CONCATENATE("Bob", " - ", 43)', 'Bob - 43'],
    ['CONCATENATE({Empty})', null],
    ['CONCATENATE({Name}, {Empty}, "!")', 'Ada Lovelace!'],
    ['CONCATENATE(0.1 + 0.2)', '0.3'],
    // ENCODE_URL_COMPONENT
    [
      '"www.ecommerce.com/checkout?item=" & ENCODE_URL_COMPONENT("Cool Jeans")',
      'www.ecommerce.com/checkout?item=Cool%20Jeans',
    ],
    ['ENCODE_URL_COMPONENT("a&b=c/d")', 'a%26b%3Dc%2Fd'],
    ['ENCODE_URL_COMPONENT({Empty})', null],
    // FIND
    ['FIND("fox", "quick brown fox")', 13],
    ['FIND("Fox", "quick brown fox")', 0],
    ['FIND("o", "hello world", 5)', 8],
    ['FIND("x", {Empty})', 0],
    ['FIND("o", "hello", -3)', 5],
    // LEFT / RIGHT / MID
    ['LEFT("quick brown fox", 5)', 'quick'],
    ['LEFT("abc", 10)', 'abc'],
    ['LEFT({Empty}, 2)', null],
    ['LEFT("abc", -1)', ERR],
    ['RIGHT("quick brown fox", 5)', 'n fox'],
    ['RIGHT("abc", 0)', null],
    ['RIGHT("abc", 9)', 'abc'],
    ['MID("quick brown fox", 6, 5)', 'brown'],
    ['MID("abc", 0, 2)', 'ab'],
    ['MID("abc", 1, 1)', 'b'],
    ['MID("abc", -4, 2)', 'ab'],
    ['MID("abc", 5, 2)', null],
    ['MID("abc", 1, -1)', ERR],
    // LEN / LOWER / UPPER / TRIM
    ['LEN("quick brown fox")', 15],
    ['LEN({Empty})', 0],
    ['LEN({Amount})', 2],
    ['LOWER("Hello!")', 'hello!'],
    ['UPPER("Hello!")', 'HELLO!'],
    ['UPPER({Empty})', null],
    ['TRIM(" Hello! ")', 'Hello!'],
    ['TRIM({Spaces})', 'hi'],
    ['TRIM("a  b")', 'a  b'],
    // REPLACE / REPT / SUBSTITUTE
    ['REPLACE("database", 2, 5, "o")', 'dose'],
    ['REPLACE("abc", 10, 1, "!")', 'abc!'],
    ['REPT("Hi! ", 3)', 'Hi! Hi! Hi! '],
    ['REPT("x", 0)', null],
    ['REPT("x", -2)', null],
    ['REPT("abcdefghij", 100000)', ERR],
    ['SUBSTITUTE("gold mold", "old", "et")', 'get met'],
    ['SUBSTITUTE("gold mold", "old", "et", 1)', 'get mold'],
    ['SUBSTITUTE("gold mold", "old", "et", 2)', 'gold met'],
    ['SUBSTITUTE("gold mold", "old", "et", 3)', 'gold mold'],
    ['SUBSTITUTE("aaa", "", "x")', 'aaa'],
    ['SUBSTITUTE("aaa", "a", "x", 0)', ERR],
    // SEARCH
    ['SEARCH("World", "Hello World")', 7],
    ['SEARCH("nope", "Hello World")', null],
    ['SEARCH("o", "Hello World", 5)', 8],
    // T
    ['T("Hello")', 'Hello'],
    ['T(3.2)', null],
    ['T({Empty})', null],
    ['T({Tags})', 'a, b'],
    // Escapes and quotes
    ['\'single\' & "double"', 'singledouble'],
    ['"a\\"b"', 'a"b'],
    ['{Quote}', 'say "hi"'],
  ])('%s', (formula, expected) => {
    expect(formulaValue(formula, F)).toEqual(expected);
  });

  it.each([
    ['LEFT("abc")', /LEFT\(\) takes 2 arguments, not 1/],
    ['UPPER("a", "b")', /takes 1 argument, not 2/],
    ['LEFT("abc", "two")', /expects a number as its second argument, but "two" is text/],
    ['LEFT("abc", {Name})', /\{Name\} is text; VALUE\(\) reads a number/],
    ['LOWR("x")', /unknown function LOWR\(\)/],
  ])('refuses %s when it is saved', (formula, message) => {
    const r = formulaCheck(formula, F);
    expect(typeof r).toBe('object');
    expect((r as { message: string }).message).toMatch(message);
  });

  it('gives text as the result type of text functions and numbers for FIND and LEN', () => {
    expect(formulaCheck('LEFT({Name}, 2)', F)).toBe('text');
    expect(formulaCheck('FIND("a", {Name})', F)).toBe('number');
    expect(formulaCheck('{Name} & {Amount}', F)).toBe('text');
  });
});
