import { REGEX_LIMITS } from '../regex/regex-program';
import { RegexBudgetError, RegexSyntaxError, SafeRegex } from '../regex/safe-regex';
import { type Node } from '../types';
import { define, type EvalContext, fail, type FunctionSpec, params, text } from './function-spec';

function regexOf(pattern: string, fn: string): SafeRegex {
  try {
    return SafeRegex.compile(pattern);
  } catch (e) {
    if (e instanceof RegexSyntaxError || e instanceof RegexBudgetError)
      return fail(`${fn}: ${e.message}`);
    throw e;
  }
}

/**
 * Runs a regex call, charging its machine steps to the formula's budget, a unit a step (a step takes
 * about as long as a formula node), and stopping it when the budget runs out rather than after.
 */
function guarded<T>(
  fn: string,
  pattern: string,
  ctx: EvalContext,
  run: (re: SafeRegex, maxSteps: number) => T,
): T {
  const re = regexOf(pattern, fn);
  const maxSteps = Math.max(0, Math.floor(ctx.fuel));
  re.lastSteps = 0;
  let value: T;
  try {
    value = run(re, maxSteps);
  } catch (e) {
    if (!(e instanceof RegexBudgetError)) throw e;
    // Stopped by what was left of the formula's budget, not by the regex's own limit: the formula ran out.
    ctx.spend(
      maxSteps < REGEX_LIMITS.steps && re.lastSteps >= maxSteps ? ctx.fuel + 1 : re.lastSteps,
    );
    return fail(`${fn}: ${e.message}`);
  }
  ctx.spend(re.lastSteps);
  return value;
}

/** A pattern written into the formula is compiled when the formula is saved, so its mistakes show there. */
const checkPattern = (args: Node[]) => {
  const p = args[1];
  if (p?.kind !== 'string') return null;
  try {
    SafeRegex.compile(p.value);
    return null;
  } catch (e) {
    if (e instanceof RegexSyntaxError || e instanceof RegexBudgetError)
      return { message: e.message, arg: 1 };
    throw e;
  }
};

export const REGEX_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'REGEX_MATCH',
    category: 'Regex',
    syntax: 'REGEX_MATCH(string, regex)',
    description: '1 (true) when the regular expression (RE2 syntax) matches part of string.',
    example: 'REGEX_MATCH("Hello World", "Hello.World") => TRUE',
    min: 2,
    max: 2,
    param: params('text', 'text'),
    returns: 'boolean',
    check: checkPattern,
    call: ([s, r], ctx) => {
      const str = text(s);
      return guarded('REGEX_MATCH', text(r), ctx, (re, max) => re.test(str, max));
    },
  }),
  define({
    name: 'REGEX_EXTRACT',
    category: 'Regex',
    syntax: 'REGEX_EXTRACT(string, regex)',
    description:
      'The first part of string the regular expression matches (an error when none does).',
    example: 'REGEX_EXTRACT("Hello World", "W.*") => "World"',
    min: 2,
    max: 2,
    param: params('text', 'text'),
    returns: 'text',
    check: checkPattern,
    call: ([s, r], ctx) => {
      const str = text(s);
      const m = guarded('REGEX_EXTRACT', text(r), ctx, (re, max) => re.first(str, max));
      return m === null ? fail('REGEX_EXTRACT: the regular expression matches nothing') : m;
    },
  }),
  define({
    name: 'REGEX_REPLACE',
    category: 'Regex',
    syntax: 'REGEX_REPLACE(string, regex, replacement)',
    description: 'string with every match of the regular expression replaced ($1 … for groups).',
    example: 'REGEX_REPLACE("Hello World", " W.*", "") => "Hello"',
    min: 3,
    max: 3,
    param: params('text', 'text', 'text'),
    returns: 'text',
    check: checkPattern,
    call: ([s, r, rep], ctx) => {
      const str = text(s);
      return guarded('REGEX_REPLACE', text(r), ctx, (re, max) =>
        re.replaceAll(str, text(rep), max),
      );
    },
  }),
];
