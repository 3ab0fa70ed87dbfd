import fc from 'fast-check';
import { FORMULA_FUNCTIONS } from './functions';
import { parseFormula } from './parser';
import { previewFormula } from './preview';
import { printFormula, stripSpans } from './printer';
import { type BinaryOp, type Node } from './types';

const OPS: BinaryOp[] = ['+', '-', '*', '/', '&', '=', '!=', '<', '>', '<=', '>='];
const NAMES = [...FORMULA_FUNCTIONS.keys()];
const span = { pos: 0, end: 0 };

const nodeArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }).map((value) => ({
      kind: 'number' as const,
      value: Object.is(value, -0) ? 0 : value,
      ...span,
    })),
    fc.string({ maxLength: 12 }).map((value) => ({ kind: 'string' as const, value, ...span })),
    fc.boolean().map((value) => ({ kind: 'boolean' as const, value, ...span })),
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => s.trim() !== '')
      .map((ref) => ({ kind: 'field' as const, ref, ...span })),
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/)),
        fc.array(tie('node'), { maxLength: 3 }),
      )
      .map(([name, args]) => ({ kind: 'call' as const, name, args, ...span })),
    fc
      .tuple(fc.constantFrom<'-' | '+'>('-', '+'), tie('node'))
      .map(([op, operand]) => ({ kind: 'unary' as const, op, operand, ...span })),
    fc
      .tuple(fc.constantFrom(...OPS), tie('node'), tie('node'))
      .map(([op, left, right]) => ({ kind: 'binary' as const, op, left, right, ...span })),
  ),
})).node;

/** Sample records: each field name gets a value of some type, or nothing. */
const sampleValue = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
  fc.boolean(),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('2021-06-09', '2024-02-29', '1999-12-31T23:59:59Z', 'abc', '', '1e3', '$1,000'),
  fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 4 }),
);

describe('formula engine properties', () => {
  it('prints a tree as text that reads back as the same tree, and printing is stable', () => {
    fc.assert(
      fc.property(nodeArb, (ast) => {
        const text = printFormula(ast);
        const back = parseFormula(text);
        expect(stripSpans(back)).toEqual(stripSpans(ast));
        expect(printFormula(back)).toBe(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws out of the evaluator, whatever the text', () => {
    const soup = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            '(',
            ')',
            ',',
            '{A}',
            '{B}',
            '{C}',
            'A',
            '"x"',
            "'y'",
            '1',
            '0',
            '-',
            '+',
            '*',
            '/',
            '&',
            '=',
            '!=',
            '<',
            '>=',
            'TRUE',
            'BLANK()',
            '{',
            '}',
            '"',
            '\\',
          ),
          fc.constantFrom(...NAMES),
        ),
        { maxLength: 25 },
      )
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(
        fc.oneof(soup, fc.string({ maxLength: 60 })),
        fc.dictionary(fc.constantFrom('A', 'B', 'C'), sampleValue),
        (formula, fields) => {
          const r = previewFormula({ formula, fields, now: Date.UTC(2026, 2, 15) });
          expect(r).toBeDefined();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws when well-formed calls get arguments of any type', () => {
    fc.assert(
      fc.property(
        nodeArb,
        fc.dictionary(fc.constantFrom('A', 'B', 'C'), sampleValue, { minKeys: 3 }),
        (ast, fields) => {
          const formula = printFormula(
            ast,
            () => fc.sample(fc.constantFrom('{A}', '{B}', '{C}'), 1)[0],
          );
          const r = previewFormula({ formula, fields, now: Date.UTC(2026, 2, 15) });
          if ('value' in r) expect(JSON.parse(JSON.stringify(r.value))).toEqual(r.value);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses formulas nested beyond the limit instead of exhausting the stack', () => {
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
    const r = previewFormula({ formula: deep, now: 0 });
    expect(r).toMatchObject({
      error: { kind: 'definition', message: expect.stringMatching(/nests deeper/) },
    });
    const chain = Array.from({ length: 3000 }, () => '1').join(' + ');
    expect(previewFormula({ formula: chain, now: 0 })).toMatchObject({
      error: { kind: 'definition' },
    });
  });

  it('stops a formula whose work outgrows the budget and shows it as an error', () => {
    const r = previewFormula({
      formula:
        'LEN(REPT(REPT("abcdefghij", 9000), 1) & REPT(REPT("abcdefghij", 9000), 1) & REPT("x", 50000))',
      now: 0,
    });
    expect(r).toMatchObject({ error: { kind: 'evaluation' } });
    const started = Date.now();
    const heavy = Array.from(
      { length: 60 },
      () => 'LEN(REGEX_REPLACE(REPT("ab", 40000), "(a|b)+?", "$1"))',
    ).join(' + ');
    expect(previewFormula({ formula: heavy, now: 0 })).toMatchObject({
      error: { kind: 'evaluation', message: expect.stringMatching(/too much work|too long/) },
    });
    // Generous: the point is that it stops, on a busy machine too.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
