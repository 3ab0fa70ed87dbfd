import { checkFormula, type FormulaScope, storedResultType } from './checker';
import { compileChecked, runFormula, runFormulaMetered } from './evaluator';
import { type FormulaRecord, type StoredFormulaValue, toStoredValue } from './stored-values';
import { type LinkDelta } from './link-delta';
import { FormulaSyntaxError, type FormulaType, type FValue } from './types';

export interface CompiledFormula {
  source: string;
  /** The result type as stored with the field. */
  type: FormulaType;
  /** Fields read directly, by id. */
  fieldIds: string[];
  volatile: boolean;
  recordMeta: boolean;
  /** The raw value (dates as FDate, errors as FError). */
  run(record: FormulaRecord, now: number): FValue;
  /** The value as the read models store it, converted to `type`. */
  evaluate(record: FormulaRecord, now: number): StoredFormulaValue;
  /** `evaluate` with at most `fuel` work units (never more than one record's budget), and the units spent. */
  evaluateMetered(
    record: FormulaRecord,
    now: number,
    fuel: number,
  ): { value: StoredFormulaValue; spent: number };
  /** A count or an aggregate rollup: its value moved by one linked record's change (see LinkDelta). */
  delta?: LinkDelta;
}

export interface FormulaProblem {
  message: string;
  /** 0-based offset in the formula text, and how many characters the problem covers. */
  position: number;
  length: number;
}

/** Checks and compiles a formula; throws FormulaSyntaxError with a position when it is not valid. */
export function compileFormula(source: string, scope: FormulaScope): CompiledFormula {
  const checked = checkFormula(source, scope);
  const fn = compileChecked(checked);
  const type = storedResultType(checked.type);
  return {
    source,
    type,
    fieldIds: checked.fieldIds,
    volatile: checked.volatile,
    recordMeta: checked.recordMeta,
    run: (record, now) => runFormula(fn, record, now),
    evaluate: (record, now) => toStoredValue(runFormula(fn, record, now), type),
    evaluateMetered: (record, now, fuel) => {
      const { value, spent } = runFormulaMetered(fn, record, now, fuel);
      return { value: toStoredValue(value, type), spent };
    },
  };
}

export function tryCompileFormula(
  source: string,
  scope: FormulaScope,
): { ok: true; formula: CompiledFormula } | { ok: false; error: FormulaProblem } {
  try {
    return { ok: true, formula: compileFormula(source, scope) };
  } catch (e) {
    if (e instanceof FormulaSyntaxError)
      return { ok: false, error: { message: e.message, position: e.position, length: e.length } };
    if (e instanceof RangeError)
      return {
        ok: false,
        error: { message: 'the formula is too deeply nested', position: 0, length: 1 },
      };
    throw e;
  }
}
