import { FDate, FError, type FValue } from '../types';
import { checkText, flatten, toText } from '../values';
import { define, type FunctionSpec, int, params, text } from './function-spec';

const asList = (v: FValue): FValue[] => (Array.isArray(v) ? v : v === null ? [] : [v]);

const keyOf = (v: FValue): string =>
  v === null
    ? 'n'
    : v instanceof FDate
      ? `d${v.ms}`
      : typeof v === 'number'
        ? `#${v}`
        : typeof v === 'boolean'
          ? `b${v}`
          : v instanceof FError
            ? 'e'
            : Array.isArray(v)
              ? `a${v.map(keyOf).join('\u0000')}`
              : `s${v}`;

export const ARRAY_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'ARRAYCOMPACT',
    category: 'Array',
    syntax: 'ARRAYCOMPACT(values)',
    description: 'The list without empty strings and empty values.',
    example: 'ARRAYCOMPACT(values) on [1, 2, 3, "", null, "foo"] => [1, 2, 3, "foo"]',
    min: 1,
    max: 1,
    param: params('array'),
    returns: 'array',
    call: ([v]) => asList(v).filter((x) => x !== null && x !== ''),
  }),
  define({
    name: 'ARRAYFLATTEN',
    category: 'Array',
    syntax: 'ARRAYFLATTEN(values)',
    description: 'The list with nested lists spread out.',
    min: 1,
    max: 1,
    param: params('array'),
    returns: 'array',
    call: ([v]) => flatten(asList(v)),
  }),
  define({
    name: 'ARRAYJOIN',
    category: 'Array',
    syntax: 'ARRAYJOIN(values, separator)',
    description: 'The items as one text, separated by separator (", " by default).',
    example: 'ARRAYJOIN(values, "; ")',
    min: 1,
    max: 2,
    param: params('array', 'text'),
    returns: 'text',
    call: ([v, sep], ctx) => {
      const items = flatten(asList(v));
      ctx.spend(items.length / 8);
      return checkText(
        items.map(toText).join(sep === undefined || sep === null ? ', ' : text(sep)),
      );
    },
  }),
  define({
    name: 'ARRAYUNIQUE',
    category: 'Array',
    syntax: 'ARRAYUNIQUE(values)',
    description: 'The list with each item once, in first-seen order.',
    min: 1,
    max: 1,
    param: params('array'),
    returns: 'array',
    call: ([v]) => {
      const seen = new Set<string>();
      return asList(v).filter((x) => {
        const k = keyOf(x);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
  }),
  define({
    name: 'ARRAYSLICE',
    category: 'Array',
    syntax: 'ARRAYSLICE(array, start, [end])',
    description:
      'Items start to end (from 1, both included); negative positions count from the end.',
    example: 'ARRAYSLICE(values, 2, 3) on [1, 2, 3, 4] => [2, 3]',
    min: 2,
    max: 3,
    param: params('array', 'number', 'number'),
    returns: 'array',
    call: ([v, s, e]) => {
      const list = asList(v);
      const start = int(s, 'ARRAYSLICE start');
      const from = start > 0 ? start - 1 : start < 0 ? Math.max(0, list.length + start) : 0;
      if (e === undefined || e === null) return list.slice(from);
      const end = int(e, 'ARRAYSLICE end');
      const to = end >= 0 ? end : list.length + end + 1;
      return list.slice(from, Math.max(from, to));
    },
  }),
];
