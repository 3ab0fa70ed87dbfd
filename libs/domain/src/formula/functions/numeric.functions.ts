import { FError, type FValue } from '../types';
import { flatten } from '../values';
import {
  define,
  fail,
  type FunctionSpec,
  num,
  numbersOf,
  optNum,
  params,
  text,
} from './function-spec';

/** Shifts the decimal point by `places` through the number's text, so that 1.005 rounds to 1.01. */
function shift(n: number, places: number): number {
  const [mantissa, exp] = String(n).split('e');
  return Number(`${mantissa}e${Number(exp ?? 0) + places}`);
}

/** ROUND's half-up rounding; the quick path when the digit after precision is clearly not a tie. */
function roundHalfUp(v: number, precision: number): number {
  const p = Math.trunc(precision);
  if (p >= 0 && p <= 10) {
    const m = 10 ** p;
    const x = v * m;
    const floor = Math.floor(x);
    const frac = x - floor;
    if (Math.abs(x) < 1e15 && Math.abs(frac - 0.5) > 1e-6) {
      const out = (frac > 0.5 ? floor + 1 : floor) / m;
      return Object.is(out, -0) ? 0 : out;
    }
  }
  return roundWith((y) => Math.floor(y + 0.5), v, p);
}

function roundWith(mode: (x: number) => number, v: number, precision: number): number {
  const p = Math.trunc(precision);
  if (p > 15 || p < -15) return p > 0 ? v : 0;
  const out = shift(mode(shift(v, p)), -p);
  return Object.is(out, -0) ? 0 : out;
}

const finite = (n: number, name: string) =>
  Number.isFinite(n)
    ? Object.is(n, -0)
      ? 0
      : n
    : fail(`${name}: the result is not a finite number`);

const multipleOf = (round: (x: number) => number) => (v: number, significance: number) => {
  if (significance === 0) return 0;
  const q = round(Number((v / significance).toPrecision(15)));
  return Number((q * significance).toPrecision(15));
};

const count = (args: FValue[], keep: (v: FValue) => boolean) => flatten(args).filter(keep).length;

export const NUMERIC_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'ABS',
    category: 'Numeric',
    syntax: 'ABS(value)',
    description: 'The absolute value.',
    example: 'ABS(-5) => 5',
    min: 1,
    max: 1,
    param: params('number'),
    returns: 'number',
    call: ([v]) => Math.abs(num(v, 'ABS')),
  }),
  define({
    name: 'AVERAGE',
    category: 'Numeric',
    syntax: 'AVERAGE(number1, [number2, ...])',
    description: 'The mean of the numbers (lists are flattened; blanks and text are left out).',
    example: 'AVERAGE(1, 2, 3) => 2',
    min: 1,
    max: Infinity,
    param: params('numbers'),
    returns: 'number',
    call: (args) => {
      const ns = numbersOf(args);
      return ns.length === 0 ? 0 : finite(ns.reduce((a, b) => a + b, 0) / ns.length, 'AVERAGE');
    },
  }),
  define({
    name: 'CEILING',
    category: 'Numeric',
    syntax: 'CEILING(value, [significance])',
    description: 'The nearest multiple of significance (1 by default) at or above value.',
    example: 'CEILING(1.01, 0.1) => 1.1; CEILING(-1.01, 0.1) => -1',
    min: 1,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([v, s]) =>
      multipleOf(Math.ceil)(num(v, 'CEILING'), Math.abs(optNum(s, 'CEILING significance', 1))),
  }),
  define({
    name: 'COUNT',
    category: 'Numeric',
    syntax: 'COUNT(number1, [number2, ...])',
    description: 'How many of the items are numbers.',
    example: 'COUNT(1, 2, 3, "", "four") => 3',
    min: 1,
    max: Infinity,
    returns: 'number',
    call: (args) => count(args, (v) => typeof v === 'number'),
  }),
  define({
    name: 'COUNTA',
    category: 'Numeric',
    syntax: 'COUNTA(textOrNumber1, [number2, ...])',
    description: 'How many of the items are not empty.',
    example: 'COUNTA(1, 2, 3, "", "four") => 4',
    min: 1,
    max: Infinity,
    returns: 'number',
    call: (args) => count(args, (v) => v !== null && v !== ''),
  }),
  define({
    name: 'COUNTALL',
    category: 'Numeric',
    syntax: 'COUNTALL(textOrNumber1, [number2, ...])',
    description: 'How many items there are, empty ones included.',
    example: 'COUNTALL(1, 2, 3, "", "four") => 5',
    min: 1,
    max: Infinity,
    returns: 'number',
    call: (args) => count(args, () => true),
  }),
  define({
    name: 'EVEN',
    category: 'Numeric',
    syntax: 'EVEN(value)',
    description: 'The nearest even whole number away from zero.',
    example: 'EVEN(1.5) => 2; EVEN(-1.5) => -2',
    min: 1,
    max: 1,
    param: params('number'),
    returns: 'number',
    call: ([v]) => {
      const n = num(v, 'EVEN');
      return (Math.sign(n) || 1) * Math.ceil(Math.abs(n) / 2) * 2;
    },
  }),
  define({
    name: 'EXP',
    category: 'Numeric',
    syntax: 'EXP(power)',
    description: 'e raised to power.',
    example: 'EXP(1) => 2.71828',
    min: 1,
    max: 1,
    param: params('number'),
    returns: 'number',
    call: ([v]) => finite(Math.exp(num(v, 'EXP')), 'EXP'),
  }),
  define({
    name: 'FLOOR',
    category: 'Numeric',
    syntax: 'FLOOR(value, [significance])',
    description: 'The nearest multiple of significance (1 by default) at or below value.',
    example: 'FLOOR(1.99, 0.1) => 1.9; FLOOR(-1.99, 0.1) => -2',
    min: 1,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([v, s]) =>
      multipleOf(Math.floor)(num(v, 'FLOOR'), Math.abs(optNum(s, 'FLOOR significance', 1))),
  }),
  define({
    name: 'INT',
    category: 'Numeric',
    syntax: 'INT(value)',
    description: 'The greatest whole number at or below value.',
    example: 'INT(1.99) => 1; INT(-1.99) => -2',
    min: 1,
    max: 1,
    param: params('number'),
    returns: 'number',
    call: ([v]) => Math.floor(num(v, 'INT')) || 0,
  }),
  define({
    name: 'LOG',
    category: 'Numeric',
    syntax: 'LOG(number, [base])',
    description: 'The logarithm of number in base (10 by default).',
    example: 'LOG(1024, 2) => 10; LOG(10000) => 4',
    min: 1,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([v, b]) => {
      const n = num(v, 'LOG');
      const base = optNum(b, 'LOG base', 10);
      if (n <= 0) fail('LOG needs a number above 0');
      if (base <= 0 || base === 1) fail('LOG needs a base above 0 other than 1');
      const out =
        base === 10 ? Math.log10(n) : base === 2 ? Math.log2(n) : Math.log(n) / Math.log(base);
      return finite(Number(out.toPrecision(15)), 'LOG');
    },
  }),
  define({
    name: 'MAX',
    category: 'Numeric',
    syntax: 'MAX(number1, [number2, ...])',
    description: 'The largest number (lists are flattened); 0 when there is none.',
    example: 'MAX(1, 3, 5, 7) => 7',
    min: 1,
    max: Infinity,
    param: params('numbers'),
    returns: 'number',
    call: (args) => {
      const ns = numbersOf(args);
      return ns.length ? ns.reduce((a, b) => (b > a ? b : a)) : 0;
    },
  }),
  define({
    name: 'MIN',
    category: 'Numeric',
    syntax: 'MIN(number1, [number2, ...])',
    description: 'The smallest number (lists are flattened); 0 when there is none.',
    example: 'MIN(1, 3, 5, 7) => 1',
    min: 1,
    max: Infinity,
    param: params('numbers'),
    returns: 'number',
    call: (args) => {
      const ns = numbersOf(args);
      return ns.length ? ns.reduce((a, b) => (b < a ? b : a)) : 0;
    },
  }),
  define({
    name: 'MOD',
    category: 'Numeric',
    syntax: 'MOD(value, divisor)',
    description: 'The remainder of value divided by divisor (with the sign of value).',
    example: 'MOD(7, 5) => 2',
    min: 2,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([v, d]) => {
      const divisor = num(d, 'MOD divisor');
      if (divisor === 0) fail('MOD: division by zero');
      return finite(num(v, 'MOD') % divisor, 'MOD');
    },
  }),
  define({
    name: 'ODD',
    category: 'Numeric',
    syntax: 'ODD(value)',
    description: 'The nearest odd whole number away from zero.',
    example: 'ODD(1.5) => 3; ODD(-2.1) => -3',
    min: 1,
    max: 1,
    param: params('number'),
    returns: 'number',
    call: ([v]) => {
      const n = num(v, 'ODD');
      const a = Math.abs(n);
      return (Math.sign(n) || 1) * (Math.max(0, Math.ceil((a - 1) / 2)) * 2 + 1);
    },
  }),
  define({
    name: 'POWER',
    category: 'Numeric',
    syntax: 'POWER(base, power)',
    description: 'base raised to power.',
    example: 'POWER(3, 2) => 9',
    min: 2,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([b, p]) => finite(Math.pow(num(b, 'POWER base'), num(p, 'POWER power')), 'POWER'),
  }),
  define({
    name: 'ROUND',
    category: 'Numeric',
    syntax: 'ROUND(value, precision)',
    description: 'value rounded to precision decimal places; halves round up (toward +∞).',
    example: 'ROUND(1.99, 0) => 2; ROUND(16.8, -1) => 20',
    min: 1,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([v, p]) => roundHalfUp(num(v, 'ROUND'), optNum(p, 'ROUND precision', 0)),
  }),
  define({
    name: 'ROUNDDOWN',
    category: 'Numeric',
    syntax: 'ROUNDDOWN(value, precision)',
    description: 'value rounded toward zero to precision decimal places.',
    example: 'ROUNDDOWN(1.99, 0) => 1; ROUNDDOWN(-1.99, 0) => -1',
    min: 1,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([v, p]) =>
      roundWith(Math.trunc, num(v, 'ROUNDDOWN'), optNum(p, 'ROUNDDOWN precision', 0)),
  }),
  define({
    name: 'ROUNDUP',
    category: 'Numeric',
    syntax: 'ROUNDUP(value, precision)',
    description: 'value rounded away from zero to precision decimal places.',
    example: 'ROUNDUP(1.1, 0) => 2; ROUNDUP(-1.1, 0) => -2',
    min: 1,
    max: 2,
    param: params('number', 'number'),
    returns: 'number',
    call: ([v, p]) =>
      roundWith(
        (x) => (x < 0 ? Math.floor(x) : Math.ceil(x)),
        num(v, 'ROUNDUP'),
        optNum(p, 'ROUNDUP precision', 0),
      ),
  }),
  define({
    name: 'SQRT',
    category: 'Numeric',
    syntax: 'SQRT(value)',
    description: 'The square root.',
    example: 'SQRT(100) => 10',
    min: 1,
    max: 1,
    param: params('number'),
    returns: 'number',
    call: ([v]) => {
      const n = num(v, 'SQRT');
      if (n < 0) fail('SQRT of a negative number');
      return Math.sqrt(n);
    },
  }),
  define({
    name: 'SUM',
    category: 'Numeric',
    syntax: 'SUM(number1, [number2, ...])',
    description: 'The sum of the numbers (lists are flattened).',
    example: 'SUM(1, 2, 3) => 6',
    min: 1,
    max: Infinity,
    param: params('numbers'),
    returns: 'number',
    call: (args) =>
      finite(
        numbersOf(args).reduce((a, b) => a + b, 0),
        'SUM',
      ),
  }),
  define({
    name: 'VALUE',
    category: 'Numeric',
    syntax: 'VALUE(text)',
    description:
      'The number in text, ignoring currency signs, thousands separators and spaces; "50%" is 0.5.',
    example: 'VALUE("$1000") => 1000',
    min: 1,
    max: 1,
    param: params('text'),
    returns: 'number',
    call: ([v]) => {
      if (typeof v === 'number') return v;
      if (v === null) return null;
      if (v instanceof FError) return v;
      const raw = text(v).trim();
      if (raw === '') return null;
      let s = raw.replace(/[\s,$€£¥₹]/g, '');
      let scale = 1;
      if (s.endsWith('%')) {
        s = s.slice(0, -1);
        scale = 0.01;
      }
      const negative = /^\(.*\)$/.test(s);
      if (negative) s = s.slice(1, -1);
      if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s))
        return fail(`VALUE cannot read "${raw.slice(0, 40)}" as a number`);
      const n = Number(s) * scale * (negative ? -1 : 1);
      return finite(Number(n.toPrecision(15)), 'VALUE');
    },
  }),
];
