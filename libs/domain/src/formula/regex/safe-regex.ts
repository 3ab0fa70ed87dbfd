import { FORMULA_LIMITS } from '../types';
import { RegexSyntaxError } from './regex-parser';
import { compileRegex, type CompiledRegex, REGEX_LIMITS, RegexBudgetError } from './regex-program';
import { execRegex, testRegex } from './regex-vm';

export { RegexBudgetError, RegexSyntaxError };

/** Steps charged for each search a replace starts: setting up the machine costs about as much. */
const SEARCH_COST = 20;

/**
 * Regular expressions for formulas, safe on any input: RE2 syntax on a linear-time machine, a
 * pattern of at most FORMULA_LIMITS.regexChars characters, text of at most regexInputChars, and a
 * step budget per call. Compiled patterns are cached (formulas run the same pattern on every record).
 */
export class SafeRegex {
  /** Machine steps the last call took; callers charge them to their own budget. */
  lastSteps = 0;

  private constructor(private readonly re: CompiledRegex) {}

  private static cache = new Map<string, SafeRegex | RegexSyntaxError | RegexBudgetError>();

  static compile(pattern: string): SafeRegex {
    const hit = SafeRegex.cache.get(pattern);
    if (hit instanceof SafeRegex) return hit;
    if (hit) throw hit;
    let out: SafeRegex | RegexSyntaxError | RegexBudgetError;
    if (pattern.length > FORMULA_LIMITS.regexChars)
      out = new RegexSyntaxError(
        `a regular expression holds at most ${FORMULA_LIMITS.regexChars} characters`,
      );
    else {
      try {
        out = new SafeRegex(compileRegex(pattern));
      } catch (e) {
        if (!(e instanceof RegexSyntaxError) && !(e instanceof RegexBudgetError)) throw e;
        out = e;
      }
    }
    if (SafeRegex.cache.size > 500) SafeRegex.cache.clear();
    SafeRegex.cache.set(pattern, out);
    if (out instanceof SafeRegex) return out;
    throw out;
  }

  private prepare(text: string): { cps: number[]; offsets: number[] } {
    if (text.length > FORMULA_LIMITS.regexInputChars)
      throw new RegexBudgetError(
        `a regular expression runs on at most ${FORMULA_LIMITS.regexInputChars} characters`,
      );
    const cps: number[] = [];
    const offsets: number[] = [];
    let off = 0;
    for (const ch of text) {
      cps.push(ch.codePointAt(0)!);
      offsets.push(off);
      off += ch.length;
    }
    offsets.push(off);
    return { cps, offsets };
  }

  private run<T>(maxSteps: number, work: (budget: { steps: number }) => T): T {
    const allowed = Math.min(REGEX_LIMITS.steps, maxSteps);
    const budget = { steps: allowed };
    try {
      return work(budget);
    } finally {
      this.lastSteps = allowed - Math.max(budget.steps, 0);
    }
  }

  test(text: string, maxSteps: number = REGEX_LIMITS.steps): boolean {
    if (text.length > FORMULA_LIMITS.regexInputChars)
      throw new RegexBudgetError(
        `a regular expression runs on at most ${FORMULA_LIMITS.regexInputChars} characters`,
      );
    return this.run(maxSteps, (budget) => testRegex(this.re, text, budget));
  }

  /** The first match's text, or null. */
  first(text: string, maxSteps: number = REGEX_LIMITS.steps): string | null {
    const { cps, offsets } = this.prepare(text);
    const m = this.run(maxSteps, (budget) => execRegex(this.re, cps, 0, budget));
    return m ? text.slice(offsets[m[0]], offsets[m[1]]) : null;
  }

  /** Every match replaced; `$1`…`$9` (and `\\1`) insert groups, `$0`/`$&` the whole match, `$$` a dollar. */
  replaceAll(text: string, replacement: string, maxSteps: number = REGEX_LIMITS.steps): string {
    const { cps, offsets } = this.prepare(text);
    return this.run(maxSteps, (budget) =>
      this.replaceWith(text, cps, offsets, replacement, budget),
    );
  }

  private replaceWith(
    text: string,
    cps: number[],
    offsets: number[],
    replacement: string,
    budget: { steps: number },
  ): string {
    let out = '';
    let last = 0;
    let at = 0;
    let prevEnd = -1;
    while (at <= cps.length) {
      budget.steps -= SEARCH_COST;
      const m = execRegex(this.re, cps, at, budget);
      if (!m) break;
      // As RE2 does: an empty match right after the previous match is not a match.
      if (m[0] === m[1] && m[0] === prevEnd) {
        at = m[0] + 1;
        continue;
      }
      out += text.slice(offsets[last], offsets[m[0]]);
      out += expand(replacement, (g) =>
        g * 2 + 1 < m.length && m[g * 2] >= 0
          ? text.slice(offsets[m[g * 2]], offsets[m[g * 2 + 1]])
          : '',
      );
      if (out.length > FORMULA_LIMITS.textChars)
        throw new RegexBudgetError(
          `the result would be longer than ${FORMULA_LIMITS.textChars} characters`,
        );
      last = m[1];
      prevEnd = m[1];
      at = m[1] === m[0] ? m[1] + 1 : m[1];
    }
    return out + text.slice(offsets[last]);
  }
}

function expand(replacement: string, group: (n: number) => string): string {
  return replacement.replace(
    /\$\$|\$&|\$(\d)|\\(\d)/g,
    (all, d1: string | undefined, d2: string | undefined) => {
      if (all === '$$') return '$';
      if (all === '$&') return group(0);
      return group(Number(d1 ?? d2));
    },
  );
}
