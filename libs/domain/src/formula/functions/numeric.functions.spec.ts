import fc from 'fast-check';
import { formulaCheck, formulaValue } from '../../testing/formula-harness';

const ERR = expect.objectContaining({ error: expect.any(String) });

describe('numeric functions and operators', () => {
  const F = {
    A: 10,
    B: 4,
    Empty: null,
    Neg: -7.5,
    Text: '12',
    Word: 'abc',
    Tags: ['x', 'y'],
    Done: true,
  };
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 / 4', 2.5],
    ['2 - 3 - 4', -5],
    ['-{A} + 1', -9],
    ['--3', 3],
    ['{A} / 0', ERR],
    ['0 / 0', ERR],
    ['{A} + {Empty}', 10],
    ['{Empty} * 3', 0],
    ['{A} + TRUE()', 11],
    ['1e3 + .5', 1000.5],
    ['0.1 + 0.2', 0.30000000000000004],
    ['{A} > {B}', 1],
    ['{A} <= 10', 1],
    ['{A} != 10', 0],
    ['{A} <> 10', 0],
    ['"b" > "a"', 1],
    ['"10" = 10', 1],
    ['1 + 2 & 3', '33'],
    ['1 < 2 = TRUE()', 1],
    ['ABS(-5)', 5],
    ['ABS({Empty})', 0],
    ['ABS({Neg})', 7.5],
    ['AVERAGE(1, 2, 3)', 2],
    ['AVERAGE({A}, {Empty})', 10],
    ['AVERAGE({Empty})', 0],
    ['AVERAGE({A}, {B}, 1)', 5],
    ['CEILING(1.01, 0.1)', 1.1],
    ['CEILING(-1.01, 0.1)', -1],
    ['CEILING(2.5)', 3],
    ['CEILING(7, 5)', 10],
    ['CEILING(7, 0)', 0],
    ['COUNT(1, 2, 3, "", "four")', 3],
    ['COUNTA(1, 2, 3, "", "four")', 4],
    ['COUNTALL(1, 2, 3, "", "four")', 5],
    ['COUNT({Tags})', 0],
    ['COUNTA({Tags}, {Empty})', 2],
    ['COUNTALL({Tags}, {Empty})', 3],
    ['EVEN(1.5)', 2],
    ['EVEN(-1.5)', -2],
    ['EVEN(2)', 2],
    ['EVEN(0)', 0],
    ['EVEN(3)', 4],
    ['EXP(0)', 1],
    ['ROUND(EXP(1), 5)', 2.71828],
    ['EXP(1000)', ERR],
    ['FLOOR(1.99, 0.1)', 1.9],
    ['FLOOR(-1.99, 0.1)', -2],
    ['FLOOR(7, 5)', 5],
    ['INT(1.99)', 1],
    ['INT(-1.99)', -2],
    ['INT({Empty})', 0],
    ['LOG(1024, 2)', 10],
    ['LOG(10000)', 4],
    ['LOG(0)', ERR],
    ['LOG(8, 1)', ERR],
    ['LOG(27, 3)', 3],
    ['MAX(1, 3, 5, 7)', 7],
    ['MIN(1, 3, 5, 7)', 1],
    ['MAX({Empty})', 0],
    ['MIN({Neg}, {A})', -7.5],
    ['MAX(-1, {Empty})', -1],
    ['MOD(7, 5)', 2],
    ['MOD(-7, 5)', -2],
    ['MOD(7, 0)', ERR],
    ['MOD(7.5, 2)', 1.5],
    ['ODD(1.5)', 3],
    ['ODD(-2.1)', -3],
    ['ODD(0)', 1],
    ['ODD(3)', 3],
    ['ODD(2)', 3],
    ['POWER(3, 2)', 9],
    ['POWER(2, -1)', 0.5],
    ['POWER(-8, 1/3)', ERR],
    ['POWER(10, 400)', ERR],
    ['ROUND(1.99, 0)', 2],
    ['ROUND(16.8, -1)', 20],
    ['ROUND(1.005, 2)', 1.01],
    ['ROUND(-1.5, 0)', -1],
    ['ROUND(2.5, 0)', 3],
    ['ROUND(1234.5678, 2)', 1234.57],
    ['ROUND(5.5)', 6],
    ['ROUNDDOWN(1.99, 0)', 1],
    ['ROUNDDOWN(-1.99, 0)', -1],
    ['ROUNDDOWN(123.456, 1)', 123.4],
    ['ROUNDDOWN(123.456, -2)', 100],
    ['ROUNDUP(1.1, 0)', 2],
    ['ROUNDUP(-1.1, 0)', -2],
    ['ROUNDUP(1.001, 2)', 1.01],
    ['ROUNDUP(0, 2)', 0],
    ['SQRT(100)', 10],
    ['SQRT(-1)', ERR],
    ['SQRT({Empty})', 0],
    ['SUM(1, 2, 3)', 6],
    ['SUM({A}, {B}, {Empty})', 14],
    ['SUM({Done}, 1)', 2],
    ['VALUE("$1000")', 1000],
    ['VALUE("$1,000,000")', 1_000_000],
    ['VALUE("50%")', 0.5],
    ['VALUE("-3.5")', -3.5],
    ['VALUE("(200)")', -200],
    ['VALUE({Text}) * 2', 24],
    ['VALUE({Word})', ERR],
    ['VALUE({Empty})', null],
    ['VALUE("  ")', null],
  ])('%s', (formula, expected) => {
    expect(formulaValue(formula, F)).toEqual(expected);
  });

  it.each([
    ['{Word} * 2', /"\*" needs numbers, but \{Word\} is text; VALUE\(\) reads a number from text/],
    ['ROUND({Word}, 2)', /ROUND\(\) expects a number as its first argument, but \{Word\} is text/],
    ['SUM({A}', /expected "," or "\)"/],
    ['1 +', /ends too early/],
    ['1 2', /is an operator or a comma missing/],
    ['ABS()', /ABS\(\) takes 1 argument, not 0/],
    ['{Nope} + 1', /unknown field \{Nope\}/],
    ['{Tags} + 1', /a list cannot be added/],
    ['', /empty/],
  ])('refuses %s when it is saved', (formula, message) => {
    expect((formulaCheck(formula, F) as { message: string }).message).toMatch(message);
  });

  it('reports the position of the problem', () => {
    expect(formulaCheck('1 + {Nope}', F)).toEqual({ message: 'unknown field {Nope}', position: 4 });
    expect(formulaCheck('ROUND({A}, 2) + FOO(1)', F)).toMatchObject({ position: 16 });
    expect(formulaCheck('SUM(1, {Word} * 2)', F)).toMatchObject({ position: 7 });
  });

  it('reads bare single-word field names, as Airtable does', () => {
    expect(formulaValue('A * B', F)).toBe(40);
  });

  it('knows numeric result types', () => {
    expect(formulaCheck('{A} * 2', F)).toBe('number');
    expect(formulaCheck('{A} + "x"', F)).toBe('text');
    expect(formulaValue('{A} + "x"', F)).toBe('10x');
  });
});

describe('ROUND', () => {
  // The reference: shift the decimal point through the number's text, round half up, shift back.
  const reference = (v: number, p: number) => {
    const shift = (n: number, k: number) => {
      const [m, e] = String(n).split('e');
      return Number(`${m}e${Number(e ?? 0) + k}`);
    };
    const out = shift(Math.floor(shift(v, p) + 0.5), -p);
    return Object.is(out, -0) ? 0 : out;
  };
  it('rounds half up exactly, like the decimal reference, for any value and precision', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -1e9, max: 1e9, noNaN: true }),
          fc.integer({ min: -100000, max: 100000 }).map((n) => n / 1000 + 0.0005),
        ),
        fc.integer({ min: 0, max: 6 }),
        (v, p) => {
          expect(formulaValue(`ROUND(${v}, ${p})`.replace('(-', '(0-'), {})).toBe(reference(v, p));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
