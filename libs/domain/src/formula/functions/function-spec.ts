import { FDate, FError, type FormulaType, type FValue, type Node } from '../types';
import { flatten, toNumberOrNull, toText, typeName } from '../values';
import { parseDateText } from '../dates/date-parse';

export type Category =
  'Text' | 'Logical' | 'Numeric' | 'Date and time' | 'Array' | 'Record' | 'Regex';

/**
 * How an argument is checked when the formula is saved: `number` refuses text, dates and lists
 * (VALUE() converts text); `numbers` also takes lists (SUM, MAX…); `date` takes dates and text;
 * the others take anything and convert when the formula runs.
 */
export type ParamKind = 'any' | 'number' | 'numbers' | 'text' | 'date' | 'boolean' | 'array';

/** What a function may read besides its arguments: the evaluation time and the record. */
export interface EvalContext {
  /** The evaluation time, ms since the epoch (the time of the edit that triggered it). */
  now: number;
  record: {
    id: string;
    created_at: string | null;
    updated_at: string | null;
    /** When a cell last changed (the record's creation when never since). */
    cellUpdatedAt(fieldId: string): string | null;
  };
  /** Charges work units against the evaluation's budget; throws when it runs out. */
  spend(units: number): void;
  /** Work units left in the evaluation's budget. */
  readonly fuel: number;
}

export type Thunk = () => FValue;

export interface FunctionSpec {
  name: string;
  category: Category;
  /** As Airtable's reference writes it, for the editor's autocomplete. */
  syntax: string;
  description: string;
  example?: string;
  min: number;
  max: number;
  param(index: number): ParamKind;
  returns: FormulaType | ((args: FormulaType[]) => FormulaType);
  /** Reads the clock (NOW, TODAY): recomputed with every edit of the record. */
  volatile?: boolean;
  /** Takes field references, not values (LAST_MODIFIED_TIME). */
  fieldArgs?: boolean;
  /** Sees error arguments instead of passing them on (ISERROR), or evaluates its arguments itself (IF). */
  lazy?: boolean;
  call?(args: FValue[], ctx: EvalContext): FValue;
  callLazy?(args: Thunk[], ctx: EvalContext): FValue;
  /** Extra checks on the written arguments at definition (a regex literal, a unit name), as a message and the argument's index. */
  check?(args: Node[]): { message: string; arg: number } | null;
}

/** Thrown by helpers inside a function; the evaluator turns it into an error value. */
export class Fail extends Error {}

export const fail = (message: string): never => {
  throw new Fail(message);
};

export function num(v: FValue, what: string): number {
  if (v instanceof FError) throw v;
  const n = toNumberOrNull(v);
  if (n === null)
    fail(
      `${what} expects a number; got ${typeName(v)}${typeof v === 'string' ? ` "${v.slice(0, 30)}"` : ''}`,
    );
  return n!;
}

export function optNum(v: FValue | undefined, what: string, fallback: number): number {
  return v === undefined || v === null ? fallback : num(v, what);
}

export function int(v: FValue, what: string): number {
  return Math.trunc(num(v, what));
}

export const text = (v: FValue | undefined): string => (v === undefined ? '' : toText(v));

/** A date argument: a date, or text read as one. Blank is an error, as in Airtable. */
export function date(v: FValue, what: string): FDate {
  if (v instanceof FDate) return v;
  if (v === null || v === '') fail(`${what} needs a date; the value is empty`);
  if (typeof v === 'string') {
    const ms = parseDateText(v);
    if (ms === null) fail(`${what} cannot read "${v.slice(0, 40)}" as a date`);
    return new FDate(ms!);
  }
  if (Array.isArray(v) && v.length === 1) return date(v[0], what);
  return fail(`${what} expects a date; got ${typeName(v)}`);
}

/** Numbers among the arguments, lists flattened; blanks, text and the rest left out. */
export function numbersOf(args: FValue[]): number[] {
  const out: number[] = [];
  for (const v of flatten(args)) {
    if (v instanceof FError) throw v;
    if (typeof v === 'number') out.push(v);
    else if (typeof v === 'boolean') out.push(v ? 1 : 0);
  }
  return out;
}

export const anyParam = () => 'any' as const;
export const params =
  (...kinds: ParamKind[]) =>
  (i: number): ParamKind =>
    kinds[Math.min(i, kinds.length - 1)] ?? 'any';

export function define(
  spec: Omit<FunctionSpec, 'param'> & { param?: FunctionSpec['param'] },
): FunctionSpec {
  return { param: anyParam, ...spec };
}
