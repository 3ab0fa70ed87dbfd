import { type FieldDefinition } from '@crm/events';
import { type CheckedFormula, type LinkNames } from './checker';
import { FORMULA_FUNCTIONS } from './functions';
import { type EvalContext, Fail, type FunctionSpec, type Thunk } from './functions/function-spec';
import { cellToFormulaValue, type FormulaRecord } from './stored-values';
import { userCellText } from '../values/user-value';
import { type BinaryOp, FDate, FError, FORMULA_LIMITS, type FValue, type Node } from './types';
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
type NodeOf<K extends Node['kind']> = Extract<Node, { kind: K }>;

const DIVISION_BY_ZERO = 'Division by zero';

function arithmetic(op: string, a: FValue, b: FValue): FValue {
  if (typeof a === 'number' && typeof b === 'number') return onNumbers(op, a, b);
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
  return onNumbers(op, x, y);
}

function onNumbers(op: string, x: number, y: number): FValue {
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

const tick = (env: Env) => env.spend(1);

function compileLiteral(value: FValue): Fn {
  return () => value;
}

/** A link, or a lookup of a link, read as the linked records' names (see LinkNames). */
function compileNames(field: FieldDefinition, names: LinkNames | undefined): Fn | null {
  const table = names?.tableOf(field);
  if (!names || !table) return null;
  const id = field.id;
  const computed = field.type === 'lookup';
  return (env) => {
    const raw = computed ? env.rec.computed?.[id] : env.rec.values[id];
    const ids = cellToFormulaValue(field, raw);
    if (!Array.isArray(ids)) return ids;
    env.spend(ids.length);
    return names.names(
      table,
      ids.filter((x): x is string => typeof x === 'string'),
    );
  };
}

/** A field reference: the record's stamps, a formula's stored value, or a stored cell. */
function compileField(field: FieldDefinition, names?: LinkNames): Fn {
  const id = field.id;
  const named = compileNames(field, names);
  if (named) return named;
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
    case 'lookup':
    case 'rollup':
    case 'count':
      return (env) => cellToFormulaValue(field, env.rec.computed?.[id]);
    // People read as their names, joined with ", " (`{Owner} & " owns it"`).
    case 'user':
      return (env) => userCellText(env.rec.values[id], env.rec.team);
    // A rollup's `values`: the linked records' values as the formula language holds them.
    case 'rollup_values':
      return (env) => (env.rec.values[id] ?? null) as FValue;
    // Number and text cells read without the general conversion: without this, the formulas bench's
    // evaluator (bench/formulas-views.bench.js, 100k records × 10 formulas) took about 10% longer.
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
        if (typeof v === 'string') return v;
        return v === undefined || v === null ? null : cellToFormulaValue(field, v);
      };
    default:
      return (env) => cellToFormulaValue(field, env.rec.values[id]);
  }
}

function compileUnary(op: NodeOf<'unary'>['op'], operand: Fn): Fn {
  return (env) => {
    tick(env);
    const v = operand(env);
    if (v instanceof FError) return v;
    const n = toNumberOrNull(v);
    if (n === null) return new FError(`a sign needs a number, got ${typeName(v)}`);
    return op === '-' ? -n || 0 : n;
  };
}

function compileBinary(op: BinaryOp, l: Fn, r: Fn): Fn {
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
      return arithmetic(op, l(env), r(env));
    };
  }
  return (env) => {
    tick(env);
    return comparison(op, l(env), r(env));
  };
}

/** LAST_MODIFIED_TIME({a}, {b}): the latest change of the cells named. */
function compileLastChange(spec: FunctionSpec, ids: string[]): Fn {
  if (ids.length === 0) return (env) => spec.call!([], env);
  return (env) => {
    tick(env);
    let best: string | null = null;
    for (const id of ids) {
      const at = env.record.cellUpdatedAt(id);
      if (at && (best === null || at > best)) best = at;
    }
    return best === null ? null : cellToFormulaValue({ type: 'date_time', options: {} }, best);
  };
}

function compileIf([cond, yes, no]: Fn[]): Fn {
  return (env) => {
    tick(env);
    const c = cond(env);
    if (c instanceof FError) return c;
    return truthy(c) ? yes(env) : no ? no(env) : null;
  };
}

/** A function that takes its arguments unevaluated (ISERROR, SWITCH…). */
function compileLazyCall(spec: FunctionSpec, args: Fn[]): Fn {
  const call = spec.callLazy!;
  return (env) => {
    tick(env);
    const thunks: Thunk[] = args.map((a) => () => a(env));
    return settle(() => call(thunks, env));
  };
}

/** A function of values: an error among its arguments is its result, without calling it. */
function compileStrictCall(spec: FunctionSpec, args: Fn[]): Fn {
  const call = spec.call!;
  return (env) => {
    tick(env);
    const values: FValue[] = [];
    for (const arg of args) {
      const v = arg(env);
      if (v instanceof FError) return v;
      values.push(v);
    }
    // Inline rather than through settle(): a closure per call cost the formulas bench's evaluator ~6%.
    try {
      return finite(call(values, env));
    } catch (e) {
      return failure(e);
    }
  };
}

function compileCall(node: NodeOf<'call'>, checked: CheckedFormula, build: (n: Node) => Fn): Fn {
  const spec = FORMULA_FUNCTIONS.get(node.name)!;
  if (spec.fieldArgs) {
    const ids = node.args.map((a) => checked.refs.get(a)!.id);
    return compileLastChange(spec, ids);
  }
  const args = node.args.map(build);
  // IF runs on most records of most tables, so its branches run directly, without thunks; unlike
  // the other lazy functions' results, its result is not settled (its branch's stands as it is).
  if (spec.name === 'IF') return compileIf(args);
  return spec.lazy ? compileLazyCall(spec, args) : compileStrictCall(spec, args);
}

/** Turns a checked formula into a tree of closures: no eval, no Function, nothing but the record's values. */
export function compileChecked(checked: CheckedFormula): Fn {
  const build = (node: Node): Fn => {
    switch (node.kind) {
      case 'number':
      case 'string':
      case 'boolean':
        return compileLiteral(node.value);
      case 'field':
        return compileField(checked.refs.get(node)!, checked.names);
      case 'unary':
        return compileUnary(node.op, build(node.operand));
      case 'binary':
        return compileBinary(node.op, build(node.left), build(node.right));
      case 'call':
        return compileCall(node, checked, build);
    }
  };
  return build(checked.ast);
}

/** A function's result: a failure, or a number past the finite ones, becomes an error value. */
function settle(run: () => FValue): FValue {
  try {
    return finite(run());
  } catch (e) {
    return failure(e);
  }
}

const finite = (v: FValue): FValue =>
  typeof v === 'number' && !Number.isFinite(v)
    ? new FError('the result is not a finite number')
    : v;

/** A function's failure as an error value; anything else is not the function's to answer. */
function failure(e: unknown): FError {
  if (e instanceof Fail) return new FError(e.message);
  if (e instanceof FError) return e;
  throw e;
}

/**
 * Runs a compiled formula on a record. Never throws: running out of budget, or anything unexpected,
 * comes back as an error value.
 */
export function runFormula(fn: Fn, record: FormulaRecord, now: number): FValue {
  return runWithFuel(fn, new Env(record, now));
}

/** `runFormula` with at most `fuel` units, and the units it spent (all of them when it ran out). */
export function runFormulaMetered(
  fn: Fn,
  record: FormulaRecord,
  now: number,
  fuel: number,
): { value: FValue; spent: number } {
  const env = new Env(record, now, Math.min(fuel, FORMULA_LIMITS.fuel));
  const value = runWithFuel(fn, env);
  return { value, spent: Math.min(fuel, FORMULA_LIMITS.fuel) - Math.max(env.fuel, 0) };
}

function runWithFuel(fn: Fn, env: Env): FValue {
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
