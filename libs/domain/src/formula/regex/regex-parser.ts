/**
 * A reader for regular expressions in RE2 syntax (the syntax Airtable's REGEX_ functions take).
 * Constructs whose matching can take exponential time in a backtracking engine — backreferences and
 * lookaround — are not part of RE2 and are refused here; everything else runs on the linear-time
 * machine in regex-vm.ts.
 */

export type CharTest = (c: number) => boolean;

export type AssertKind = 'bol' | 'eol' | 'bot' | 'eot' | 'word' | 'notword';

export type RNode =
  | { t: 'empty' }
  | { t: 'char'; test: CharTest }
  | { t: 'cat'; items: RNode[] }
  | { t: 'alt'; items: RNode[] }
  | { t: 'group'; cap: number | null; node: RNode }
  | { t: 'repeat'; node: RNode; min: number; max: number; greedy: boolean }
  | { t: 'assert'; kind: AssertKind };

export class RegexSyntaxError extends Error {}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const MAX_REPEAT = 1000;

type Range = [number, number];

const DIGIT: Range[] = [[48, 57]];
const WORD: Range[] = [
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
];
const SPACE: Range[] = [
  [9, 10],
  [12, 13],
  [32, 32],
];
const inRanges = (ranges: Range[], c: number) => {
  for (const [lo, hi] of ranges) if (c >= lo && c <= hi) return true;
  return false;
};
export const isWordChar = (c: number) => inRanges(WORD, c);

function foldTest(ranges: Range[], negate: boolean, ignoreCase: boolean): CharTest {
  const has = (c: number) => {
    if (inRanges(ranges, c)) return true;
    if (!ignoreCase) return false;
    const s = String.fromCodePoint(c);
    const lo = s.toLowerCase().codePointAt(0)!;
    const up = s.toUpperCase().codePointAt(0)!;
    return (lo !== c && inRanges(ranges, lo)) || (up !== c && inRanges(ranges, up));
  };
  return negate ? (c) => !has(c) : has;
}

export interface ParsedRegex {
  node: RNode;
  groups: number;
}

// eslint-disable-next-line max-lines-per-function -- a recursive-descent parser: its readers share the cursor over the pattern
export function parseRegex(pattern: string): ParsedRegex {
  const cps = Array.from(pattern).map((ch) => ch.codePointAt(0)!);
  let i = 0;
  let groups = 0;
  const peek = () => cps[i];
  const eat = (c: string) => {
    if (cps[i] === c.codePointAt(0)) {
      i++;
      return true;
    }
    return false;
  };
  const fail = (msg: string): never => {
    throw new RegexSyntaxError(`${msg} (at character ${i + 1} of the pattern)`);
  };

  const escapeRanges = (c: number): Range[] | null => {
    switch (String.fromCodePoint(c)) {
      case 'd':
        return DIGIT;
      case 'w':
        return WORD;
      case 's':
        return SPACE;
      default:
        return null;
    }
  };
  const negatedEscape = (c: number): Range[] | null => {
    switch (String.fromCodePoint(c)) {
      case 'D':
        return DIGIT;
      case 'W':
        return WORD;
      case 'S':
        return SPACE;
      default:
        return null;
    }
  };
  const simpleEscape = (c: number): number => {
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case 'n':
        return 10;
      case 't':
        return 9;
      case 'r':
        return 13;
      case 'f':
        return 12;
      case 'v':
        return 11;
      case 'a':
        return 7;
      case '0':
        return 0;
      case 'x': {
        if (eat('{')) {
          let hex = '';
          while (i < cps.length && peek() !== 0x7d) hex += String.fromCodePoint(cps[i++]);
          if (!eat('}') || !/^[0-9a-fA-F]{1,6}$/.test(hex)) fail('\\x{…} needs hex digits');
          const v = parseInt(hex, 16);
          if (v > 0x10ffff) fail('\\x{…} is beyond Unicode');
          return v;
        }
        const hex = String.fromCodePoint(...cps.slice(i, i + 2));
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail('\\x needs two hex digits');
        i += 2;
        return parseInt(hex, 16);
      }
      default:
        if (/[1-9]/.test(ch))
          fail(
            'backreferences (\\1 …) are not supported: they can make matching take exponential time',
          );
        if (/[A-Za-z]/.test(ch)) fail(`\\${ch} is not supported`);
        return c;
    }
  };

  // eslint-disable-next-line max-lines-per-function -- a parser step: one pass over a [class], item by item
  const parseClass = (flags: Flags): RNode => {
    // after '['
    const negate = eat('^');
    const ranges: Range[] = [];
    const negatedParts: Range[][] = [];
    let first = true;
    for (;;) {
      if (i >= cps.length) fail('a [ is not closed');
      if (peek() === 0x5d && !first) {
        i++;
        break;
      }
      first = false;
      if (peek() === 0x5b && cps[i + 1] === 0x3a) {
        const close = pattern.indexOf(':]', i);
        const name =
          close > 0 ? String.fromCodePoint(...cps.slice(i + 2, cps.indexOf(0x3a, i + 2))) : '';
        const posix: Record<string, Range[]> = {
          alpha: [
            [65, 90],
            [97, 122],
          ],
          digit: DIGIT,
          alnum: [
            [48, 57],
            [65, 90],
            [97, 122],
          ],
          space: [
            [9, 13],
            [32, 32],
          ],
          upper: [[65, 90]],
          lower: [[97, 122]],
          punct: [
            [33, 47],
            [58, 64],
            [91, 96],
            [123, 126],
          ],
          word: WORD,
          xdigit: [
            [48, 57],
            [65, 70],
            [97, 102],
          ],
        };
        if (!posix[name]) fail(`[:${name}:] is not a class this reader knows`);
        ranges.push(...posix[name]);
        i += name.length + 4;
        continue;
      }
      let lo: number;
      if (eat('\\')) {
        if (i >= cps.length) fail('the pattern ends with \\');
        const c = cps[i++];
        const r = escapeRanges(c);
        if (r) {
          ranges.push(...r);
          continue;
        }
        const nr = negatedEscape(c);
        if (nr) {
          negatedParts.push(nr);
          continue;
        }
        lo = simpleEscape(c);
      } else lo = cps[i++];
      if (peek() === 0x2d && cps[i + 1] !== undefined && cps[i + 1] !== 0x5d) {
        i++;
        let hi: number;
        if (eat('\\')) hi = simpleEscape(cps[i++]);
        else hi = cps[i++];
        if (hi < lo) fail('a range in [ ] runs backwards');
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    const base = foldTest(ranges, false, flags.i);
    const negs = negatedParts.map((r) => foldTest(r, true, false));
    const test: CharTest = negs.length ? (c) => base(c) || negs.some((n) => n(c)) : base;
    return { t: 'char', test: negate ? (c) => !test(c) : test };
  };

  let depth = 0;
  const groupBody = (flags: Flags): RNode => {
    if (++depth > 100) fail('groups nest deeper than 100');
    const node = parseAlt(flags);
    depth--;
    if (!eat(')')) fail('a ( is not closed');
    return node;
  };

  // eslint-disable-next-line max-lines-per-function -- a parser step: one case per kind of atom
  const parseAtom = (flags: Flags): RNode | null => {
    const c = peek();
    if (c === undefined) return null;
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case '|':
      case ')':
        return null;
      case '(': {
        i++;
        if (eat('?')) {
          if (eat(':')) return { t: 'group', cap: null, node: groupBody({ ...flags }) };
          if (
            peek() === 0x3d ||
            peek() === 0x21 ||
            (peek() === 0x3c && (cps[i + 1] === 0x3d || cps[i + 1] === 0x21))
          )
            fail('lookahead and lookbehind are not supported');
          if (eat('P') || peek() === 0x3c) {
            if (!eat('<')) fail('a named group is written (?P<name>…)');
            while (i < cps.length && peek() !== 0x3e) i++;
            if (!eat('>')) fail('a group name is not closed with >');
            const cap = ++groups;
            return { t: 'group', cap, node: groupBody({ ...flags }) };
          }
          // Flags: (?i) for the rest of the group, (?i:…) for the group.
          const set: Partial<Flags> = {};
          let on = true;
          while (i < cps.length && peek() !== 0x29 && peek() !== 0x3a) {
            const f = String.fromCodePoint(cps[i++]);
            if (f === '-') on = false;
            else if (f === 'i' || f === 'm' || f === 's') set[f] = on;
            else if (f !== 'U') fail(`(?${f}) is not a flag this reader knows`);
          }
          if (eat(')')) {
            Object.assign(flags, set);
            return { t: 'empty' };
          }
          if (!eat(':')) fail('a flag group is not closed');
          return { t: 'group', cap: null, node: groupBody({ ...flags, ...set }) };
        }
        const cap = ++groups;
        return { t: 'group', cap, node: groupBody({ ...flags }) };
      }
      case '[':
        i++;
        return parseClass(flags);
      case '.':
        i++;
        return { t: 'char', test: flags.s ? () => true : (x) => x !== 10 };
      case '^':
        i++;
        return { t: 'assert', kind: flags.m ? 'bol' : 'bot' };
      case '$':
        i++;
        return { t: 'assert', kind: flags.m ? 'eol' : 'eot' };
      case '\\': {
        i++;
        if (i >= cps.length) fail('the pattern ends with \\');
        const e = cps[i++];
        const es = String.fromCodePoint(e);
        if (es === 'b') return { t: 'assert', kind: 'word' };
        if (es === 'B') return { t: 'assert', kind: 'notword' };
        if (es === 'A') return { t: 'assert', kind: 'bot' };
        if (es === 'z') return { t: 'assert', kind: 'eot' };
        const r = escapeRanges(e);
        if (r) return { t: 'char', test: foldTest(r, false, false) };
        const nr = negatedEscape(e);
        if (nr) return { t: 'char', test: foldTest(nr, true, false) };
        const lit = simpleEscape(e);
        return { t: 'char', test: foldTest([[lit, lit]], false, flags.i) };
      }
      case '*':
      case '+':
      case '?':
        return fail(`"${ch}" has nothing to repeat`);
      default:
        i++;
        return { t: 'char', test: foldTest([[c, c]], false, flags.i) };
    }
  };

  const parseRepeat = (flags: Flags): RNode | null => {
    let atom = parseAtom(flags);
    if (!atom) return null;
    for (;;) {
      let min: number;
      let max: number;
      const c = peek();
      if (c === 0x2a) [min, max] = [0, Infinity];
      else if (c === 0x2b) [min, max] = [1, Infinity];
      else if (c === 0x3f) [min, max] = [0, 1];
      else if (c === 0x7b) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...cps.slice(i, i + 20)));
        if (!m) break;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT))
          fail(`a repeat count is at most ${MAX_REPEAT}`);
        if (max < min) fail('a repeat {n,m} needs n ≤ m');
        i += m[0].length - 1;
      } else break;
      i++;
      const greedy = !eat('?');
      if (atom.t === 'assert' || atom.t === 'empty') continue;
      atom = { t: 'repeat', node: atom, min, max, greedy };
    }
    return atom;
  };

  const parseCat = (flags: Flags): RNode => {
    const items: RNode[] = [];
    for (;;) {
      const r = parseRepeat(flags);
      if (!r) break;
      items.push(r);
    }
    return items.length === 1
      ? items[0]
      : items.length === 0
        ? { t: 'empty' }
        : { t: 'cat', items };
  };

  function parseAlt(flags: Flags): RNode {
    const items = [parseCat(flags)];
    while (eat('|')) items.push(parseCat(flags));
    const node: RNode = items.length === 1 ? items[0] : { t: 'alt', items };
    return node;
  }

  const root = parseAlt({ i: false, m: false, s: false });
  if (i < cps.length) {
    if (peek() === 0x29) fail('a ) without its (');
    fail('unexpected character');
  }
  return { node: root, groups };
}
