import { type FieldDefinition } from '@crm/events';
import { type CheckedFormula } from './checker';
import { isoOf } from './dates/date-format';
import { parseDateText } from './dates/date-parse';
import { FORMULA_FUNCTIONS } from './functions';
import { type EvalContext, Fail, type Thunk } from './functions/function-spec';
import { FDate, FError, FORMULA_LIMITS, type FormulaType, type FValue, type Node } from './types';
import {
  BudgetExceeded,
  checkText,
  compareValues,
  looseEquals,
  toNumberOrNull,
  toText,
  truthy,
  typeName,
} from './values';

/** A record as a formula reads it: stored values, formula values, and the record's stamps. */
export interface FormulaRecord {
  id: string;
  values: Record<string, unknown>;
  /** Values of the record's formula fields (stored form: errors as `{ error }`, dates as ISO text). */
  computed?: Record<string, unknown>;
  created_at: string | null;
  created_by?: string | null;
  updated_at: string | null;
  updated_by?: string | null;
  /** When each cell last changed; absent cells changed last at creation. */
  cells?: Record<string, { at: string }>;
}

/** A formula value as the read models and the API hold it. */
export type StoredFormulaValue =
  null | number | string | boolean | { error: string } | (string | number | boolean | null)[];

export const isStoredError = (v: unknown): v is { error: string } =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  typeof (v as { error?: unknown }).error === 'string';

class Env implements EvalContext {
  private recordView: EvalContext['record'] | null = null;

  constructor(
    readonly rec: FormulaRecord,
    readonly now: number,
    public fuel: number = FORMULA_LIMITS.fuel,
  ) {}

  /** Built on first use: most formulas never ask for the record's id or stamps. */
  get record(): EvalContext['record'] {
    if (!this.recordView) {
      const rec = this.rec;
      this.recordView = {
        id: rec.id,
        created_at: rec.created_at,
        updated_at: rec.updated_at,
        cellUpdatedAt: (fieldId) => rec.cells?.[fieldId]?.at ?? rec.created_at,
      };
    }
    return this.recordView;
  }

  spend(units: number): void {
    this.fuel -= units;
    if (this.fuel < 0) throw new BudgetExceeded('the formula needs too much work for one record');
  }
}

type Fn = (env: Env) => FValue;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** How a stored cell of a field reads inside a formula. */
export function cellToFormulaValue(
  field: Pick<FieldDefinition, 'type' | 'options'>,
  raw: unknown,
): FValue {
  if (raw === undefined || raw === null) return null;
  switch (field.type) {
    case 'number':
    case 'currency':
    case 'percent':
      return typeof raw === 'number' ? raw : null;
    case 'date': {
      if (typeof raw !== 'string') return null;
      const m = DATE_ONLY.exec(raw);
      return m ? new FDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    }
    case 'date_time':
    case 'created_time':
    case 'last_modified_time': {
      const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
      return Number.isNaN(ms) ? null : new FDate(ms);
    }
    // An unticked box is empty, as in Airtable: {Done} & "" is "".
    case 'checkbox':
      return raw === true ? true : null;
    case 'multiple_select':
    case 'link':
      return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : null;
    case 'formula':
      return storedToFormulaValue(raw, field.options?.result_type as FormulaType | undefined);
    default:
      return typeof raw === 'string'
        ? raw
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? raw
          : null;
  }
}

export function storedToFormulaValue(raw: unknown, type: FormulaType | undefined): FValue {
  if (raw === undefined || raw === null) return null;
  if (isStoredError(raw)) return new FError(raw.error);
  if (type === 'date' && typeof raw === 'string') {
    const ms = Date.parse(raw);
    return Number.isNaN(ms) ? raw : new FDate(ms);
  }
  if (Array.isArray(raw))
    return raw.map((x) =>
      x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'
        ? x
        : null,
    );
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return null;
}

/** A formula's value in its stored form, converted to the formula's result type. */
export function toStoredValue(v: FValue, type: FormulaType): StoredFormulaValue {
  if (v instanceof FError) return { error: v.message };
  if (v === null) return null;
  switch (type) {
    case 'blank':
      return null;
    case 'number': {
      const n = toNumberOrNull(v);
      if (n === null) return { error: `the result is ${typeName(v)}, not a number` };
      if (!Number.isFinite(n)) return { error: 'the result is not a finite number' };
      return Object.is(n, -0) ? 0 : n;
    }
    case 'boolean':
      return truthy(v);
    case 'date': {
      if (v instanceof FDate) return isoOf(v.ms) || { error: 'the result is not a valid date' };
      const ms = typeof v === 'string' ? parseDateText(v) : null;
      return ms === null ? { error: `the result is ${typeName(v)}, not a date` } : isoOf(ms);
    }
    case 'array': {
      const list = Array.isArray(v) ? v : [v];
      const out: (string | number | boolean | null)[] = [];
      for (const x of list.flat(8) as FValue[]) {
        if (x instanceof FError) return { error: x.message };
        out.push(
          x === null || typeof x === 'string' || typeof x === 'boolean'
            ? x
            : typeof x === 'number'
              ? Number.isFinite(x)
                ? x
                : null
              : toText(x),
        );
      }
      return out;
    }
    default: {
      const s = toText(v);
      return s === '' ? null : s;
    }
  }
}

const DIVISION_BY_ZERO = 'Division by zero';

function arithmetic(op: string, a: FValue, b: FValue): FValue {
  if (a instanceof FError) return a;
  if (b instanceof FError) return b;
  if (op === '+' && ((typeof a === 'string' && a !== '') || (typeof b === 'string' && b !== ''))) {
    const x = toNumberOrNull(a);
    const y = toNumberOrNull(b);
    // Text that reads as numbers adds as numbers; otherwise + joins, as in Airtable.
    if (x !== null && y !== null && typeof a !== 'object' && typeof b !== 'object') return x + y;
    return checkText(toText(a) + toText(b));
  }
  if (a instanceof FDate || b instanceof FDate)
    return new FError(`"${op}" cannot take a date; use DATEADD() or DATETIME_DIFF()`);
  const x = toNumberOrNull(a);
  const y = toNumberOrNull(b);
  if (x === null || y === null)
    return new FError(`"${op}" needs numbers, got ${typeName(x === null ? a : b)}`);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    default:
      if (y === 0) return new FError(DIVISION_BY_ZERO);
      return x / y;
  }
}

function comparison(op: string, a: FValue, b: FValue): FValue {
  if (a instanceof FError) return a;
  if (b instanceof FError) return b;
  if (op === '=') return looseEquals(a, b);
  if (op === '!=') return !looseEquals(a, b);
  const c = compareValues(a, b);
  if (c === null) return false;
  switch (op) {
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    default:
      return c >= 0;
  }
}

const tick = (env: Env) => {
  if (--env.fuel < 0) throw new BudgetExceeded('the formula needs too much work for one record');
};

/** Turns a checked formula into a tree of closures: no eval, no Function, nothing but the record's values. */
export function compileChecked(checked: CheckedFormula): (env: Env) => FValue {
  const build = (node: Node): Fn => {
    switch (node.kind) {
      case 'number':
      case 'string':
      case 'boolean': {
        const v = node.value;
        return () => v;
      }
      case 'field': {
        const field = checked.refs.get(node)!;
        const id = field.id;
        switch (field.type) {
          case 'created_time':
            return (env) => cellToFormulaValue(field, env.rec.created_at);
          case 'last_modified_time':
            return (env) => cellToFormulaValue(field, env.rec.updated_at);
          case 'created_by':
            return (env) => env.rec.created_by ?? null;
          case 'last_modified_by':
            return (env) => env.rec.updated_by ?? null;
          case 'formula':
            return (env) => cellToFormulaValue(field, env.rec.computed?.[id]);
          // The common types read without going through the general conversion.
          case 'number':
          case 'currency':
          case 'percent':
            return (env) => {
              const v = env.rec.values[id];
              return typeof v === 'number' ? v : null;
            };
          case 'text':
          case 'long_text':
          case 'single_select':
          case 'email':
          case 'url':
          case 'phone':
            return (env) => {
              const v = env.rec.values[id];
              return typeof v === 'string'
                ? v
                : v === undefined || v === null
                  ? null
                  : cellToFormulaValue(field, v);
            };
          default:
            return (env) => cellToFormulaValue(field, env.rec.values[id]);
        }
      }
      case 'unary': {
        const operand = build(node.operand);
        const neg = node.op === '-';
        return (env) => {
          tick(env);
          const v = operand(env);
          if (v instanceof FError) return v;
          const n = toNumberOrNull(v);
          if (n === null) return new FError(`a sign needs a number, got ${typeName(v)}`);
          return neg ? -n || 0 : n;
        };
      }
      case 'binary': {
        const l = build(node.left);
        const r = build(node.right);
        const op = node.op;
        if (op === '&') {
          return (env) => {
            tick(env);
            const a = l(env);
            if (a instanceof FError) return a;
            const b = r(env);
            if (b instanceof FError) return b;
            const s = toText(a) + toText(b);
            env.spend(s.length / 256);
            return checkText(s);
          };
        }
        if (op === '+' || op === '-' || op === '*' || op === '/') {
          return (env) => {
            tick(env);
            const a = l(env);
            const b = r(env);
            if (typeof a === 'number' && typeof b === 'number') {
              if (op === '/' && b === 0) return new FError(DIVISION_BY_ZERO);
              return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
            }
            return arithmetic(op, a, b);
          };
        }
        return (env) => {
          tick(env);
          return comparison(op, l(env), r(env));
        };
      }
      case 'call': {
        const spec = FORMULA_FUNCTIONS.get(node.name)!;
        if (spec.fieldArgs) {
          const ids = node.args.map((a) => checked.refs.get(a)!.id);
          if (ids.length === 0) return (env) => spec.call!([], env);
          return (env) => {
            tick(env);
            let best: string | null = null;
            for (const id of ids) {
              const at = env.record.cellUpdatedAt(id);
              if (at && (best === null || at > best)) best = at;
            }
            return best === null
              ? null
              : cellToFormulaValue({ type: 'date_time', options: {} }, best);
          };
        }
        const args = node.args.map(build);
        if (spec.name === 'IF') {
          // IF runs on every record of most tables: evaluated directly, without thunks.
          const [cond, yes, no] = args;
          return (env) => {
            tick(env);
            const c = cond(env);
            if (c instanceof FError) return c;
            return truthy(c) ? yes(env) : no ? no(env) : null;
          };
        }
        if (spec.lazy) {
          return (env) => {
            tick(env);
            const thunks: Thunk[] = args.map((a) => () => a(env));
            return guard(() => spec.callLazy!(thunks, env));
          };
        }
        const call = spec.call!;
        return (env) => {
          tick(env);
          const values = new Array<FValue>(args.length);
          for (let i = 0; i < args.length; i++) {
            const v = args[i](env);
            if (v instanceof FError) return v;
            values[i] = v;
          }
          try {
            const out = call(values, env);
            return typeof out === 'number' && !Number.isFinite(out)
              ? new FError('the result is not a finite number')
              : out;
          } catch (e) {
            if (e instanceof Fail) return new FError(e.message);
            if (e instanceof FError) return e;
            throw e;
          }
        };
      }
    }
  };
  return build(checked.ast);
}

function guard(run: () => FValue): FValue {
  try {
    const v = run();
    if (typeof v === 'number' && !Number.isFinite(v))
      return new FError('the result is not a finite number');
    return v;
  } catch (e) {
    if (e instanceof Fail) return new FError(e.message);
    if (e instanceof FError) return e;
    throw e;
  }
}

/**
 * Runs a compiled formula on a record. Never throws: running out of budget, or anything unexpected,
 * comes back as an error value.
 */
export function runFormula(fn: (env: Env) => FValue, record: FormulaRecord, now: number): FValue {
  return runWithFuel(fn, new Env(record, now));
}

/** `runFormula` with at most `fuel` units, and the units it spent (all of them when it ran out). */
export function runFormulaMetered(
  fn: (env: Env) => FValue,
  record: FormulaRecord,
  now: number,
  fuel: number,
): { value: FValue; spent: number } {
  const env = new Env(record, now, Math.min(fuel, FORMULA_LIMITS.fuel));
  const value = runWithFuel(fn, env);
  return { value, spent: Math.min(fuel, FORMULA_LIMITS.fuel) - Math.max(env.fuel, 0) };
}

function runWithFuel(fn: (env: Env) => FValue, env: Env): FValue {
  try {
    return fn(env);
  } catch (e) {
    if (e instanceof BudgetExceeded) return new FError(e.message);
    if (e instanceof FError) return e;
    if (e instanceof Fail) return new FError(e.message);
    if (e instanceof RangeError)
      return new FError('the formula could not be evaluated (too deep or too large)');
    return new FError('the formula could not be evaluated');
  }
}
