import { FError, type FormulaType, type FValue } from '../types';
import { flatten, looseEquals, truthy } from '../values';
import { define, type FunctionSpec, type Thunk } from './function-spec';

/** The type of a value that is one of several branches: the same type, or text when they differ. */
export function unifyTypes(types: FormulaType[]): FormulaType {
  const real = types.filter((t) => t !== 'blank');
  if (real.length === 0) return 'blank';
  if (real.includes('any')) return 'any';
  const first = real[0];
  if (real.every((t) => t === first)) return first;
  if (real.every((t) => t === 'number' || t === 'boolean')) return 'number';
  return 'text';
}

const logicalArgs = (args: FValue[]): FValue[] => {
  const all = flatten(args);
  for (const v of all) if (v instanceof FError) throw v;
  return all;
};

/** SWITCH compares like =, except that an empty value matches only an empty pattern (not 0). */
function switchMatches(value: FValue, pattern: FValue): boolean {
  const blankV = value === null || value === '';
  const blankP = pattern === null || pattern === '';
  return blankV || blankP ? blankV && blankP : looseEquals(value, pattern);
}

export const LOGICAL_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'AND',
    category: 'Logical',
    syntax: 'AND(logical1, [logical2, ...])',
    description: '1 (true) when every argument is true (not empty, 0, FALSE or "").',
    example: 'AND(1, "x", TRUE()) => TRUE',
    min: 1,
    max: Infinity,
    returns: 'boolean',
    call: (args) => logicalArgs(args).every(truthy),
  }),
  define({
    name: 'BLANK',
    category: 'Logical',
    syntax: 'BLANK()',
    description: 'An empty value.',
    example: 'IF({Price} > 1000000, "Wow, that\'s pretty expensive", BLANK())',
    min: 0,
    max: 0,
    returns: 'blank',
    call: () => null,
  }),
  define({
    name: 'ERROR',
    category: 'Logical',
    syntax: 'ERROR()',
    description: 'An error value (#ERROR!).',
    example: 'IF({Price} < 0, ERROR(), "More than zero!")',
    min: 0,
    max: 0,
    returns: 'blank',
    call: () => new FError('ERROR() was reached'),
  }),
  define({
    name: 'FALSE',
    category: 'Logical',
    syntax: 'FALSE()',
    description: 'Logical false (0 as a number).',
    min: 0,
    max: 0,
    returns: 'boolean',
    call: () => false,
  }),
  define({
    name: 'IF',
    category: 'Logical',
    syntax: 'IF(expression, value1, [value2])',
    description: 'value1 when expression is true, otherwise value2 (empty when left out).',
    example: 'IF({WaterTemp} > 100, "steam", "water")',
    min: 2,
    max: 3,
    lazy: true,
    returns: (t) => unifyTypes([t[1], t[2] ?? 'blank']),
    callLazy: ([cond, a, b]: Thunk[]) => {
      const c = cond();
      if (c instanceof FError) return c;
      return truthy(c) ? a() : b ? b() : null;
    },
  }),
  define({
    name: 'ISERROR',
    category: 'Logical',
    syntax: 'ISERROR(expr)',
    description: '1 (true) when expr gives an error.',
    example: 'ISERROR(2/0) => TRUE',
    min: 1,
    max: 1,
    lazy: true,
    returns: 'boolean',
    callLazy: ([v]: Thunk[]) => v() instanceof FError,
  }),
  define({
    name: 'NOT',
    category: 'Logical',
    syntax: 'NOT(boolean)',
    description: 'The opposite of its argument: 1 (true) or 0 (false).',
    example: 'NOT({Total} = 0)',
    min: 1,
    max: 1,
    returns: 'boolean',
    call: ([v]) => !truthy(v),
  }),
  define({
    name: 'OR',
    category: 'Logical',
    syntax: 'OR(logical1, [logical2, ...])',
    description: '1 (true) when any argument is true.',
    example: 'OR(0, "", "yes") => TRUE',
    min: 1,
    max: Infinity,
    returns: 'boolean',
    call: (args) => logicalArgs(args).some(truthy),
  }),
  define({
    name: 'SWITCH',
    category: 'Logical',
    syntax: 'SWITCH(expression, [pattern, result ... , pattern, result], [default])',
    description:
      'The result of the first pattern equal to expression, or default (empty when left out).',
    example: 'SWITCH({Priority}, 1, "Urgent", 2, "High", "Medium")',
    min: 2,
    max: Infinity,
    lazy: true,
    returns: (t) => {
      const results = t.slice(1).filter((_, i) => i % 2 === 1);
      if ((t.length - 1) % 2 === 1) results.push(t[t.length - 1]);
      else results.push('blank');
      return unifyTypes(results);
    },
    callLazy: (args: Thunk[]) => {
      const value = args[0]();
      if (value instanceof FError) return value;
      let i = 1;
      for (; i + 1 < args.length; i += 2) {
        const pattern = args[i]();
        if (pattern instanceof FError) return pattern;
        if (switchMatches(value, pattern)) return args[i + 1]();
      }
      return i < args.length ? args[i]() : null;
    },
  }),
  define({
    name: 'TRUE',
    category: 'Logical',
    syntax: 'TRUE()',
    description: 'Logical true (1 as a number).',
    min: 0,
    max: 0,
    returns: 'boolean',
    call: () => true,
  }),
  define({
    name: 'XOR',
    category: 'Logical',
    syntax: 'XOR(logical1, [logical2, ...])',
    description: '1 (true) when an odd number of arguments are true.',
    example: 'XOR(TRUE(), FALSE(), TRUE()) => FALSE',
    min: 1,
    max: Infinity,
    returns: 'boolean',
    call: (args) => logicalArgs(args).filter(truthy).length % 2 === 1,
  }),
];
