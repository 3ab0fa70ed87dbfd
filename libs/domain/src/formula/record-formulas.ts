import { type FormulaGraph, type FormulaNode } from './dependency-graph';
import { type FormulaRecord, type StoredFormulaValue } from './stored-values';
import { FORMULA_LIMITS } from './types';

export type ComputedValues = Record<string, StoredFormulaValue>;

/**
 * Recomputes formula values of one record, in dependency order, and returns the record's new
 * formula values (the others kept). Empty results are left out, so `{}` means "all blank".
 * `now` is the time of the change that triggered the recompute: NOW() and TODAY() read it, which
 * keeps a rebuild from the log giving exactly the values the live projection stored. All the
 * formulas together get FORMULA_LIMITS.recordFuel, so no one change costs more than that however
 * many formula fields read it.
 */
export const recomputeFormulas = (
  nodes: readonly FormulaNode[],
  record: FormulaRecord,
  now: number,
): ComputedValues =>
  recomputeFormulasMetered(nodes, record, now, FORMULA_LIMITS.recordFuel, OUT_OF_RECORD_BUDGET)
    .computed;

export const OUT_OF_RECORD_BUDGET =
  "not computed: this record's formulas together needed more than the work budget of one change";
export const OUT_OF_TABLE_BUDGET =
  'not computed: recomputing this formula for the whole table needed more than its work budget; edit the record to compute it';

/**
 * `recomputeFormulas` spending at most `fuel` work units in all; the units spent come back too. A
 * formula that runs out shows `outOfBudget`, and so does every one after it: nothing runs past it.
 */
export function recomputeFormulasMetered(
  nodes: readonly FormulaNode[],
  record: FormulaRecord,
  now: number,
  fuel: number,
  outOfBudget: string = OUT_OF_TABLE_BUDGET,
): { computed: ComputedValues; spent: number } {
  const computed: Record<string, unknown> = {};
  const before = record.computed;
  if (before) for (const k in before) computed[k] = before[k];
  const view: FormulaRecord = {
    id: record.id,
    values: record.values,
    computed,
    created_at: record.created_at,
    created_by: record.created_by,
    updated_at: record.updated_at,
    updated_by: record.updated_by,
    cells: record.cells,
    team: record.team,
  };
  let spent = 0;
  // The key order follows the order of changes, which a replay of the log repeats exactly.
  for (const n of nodes) {
    let value: StoredFormulaValue;
    if (!n.compiled) value = { error: n.error ?? 'the formula is not valid' };
    else if (spent >= fuel) value = { error: outOfBudget };
    else {
      const cap = Math.min(fuel - spent, FORMULA_LIMITS.fuel);
      const run = n.compiled.evaluateMetered(view, now, cap);
      spent += run.spent;
      value = cap < FORMULA_LIMITS.fuel && run.spent >= cap ? { error: outOfBudget } : run.value;
    }
    if (value === null) delete computed[n.field.id];
    else computed[n.field.id] = value;
  }
  return { computed: computed as ComputedValues, spent };
}

/** Every formula of the record, from scratch. */
export const computeAllFormulas = (
  graph: FormulaGraph,
  record: FormulaRecord,
  now: number,
): ComputedValues =>
  recomputeFormulas(
    graph.ordered,
    record.computed ? { ...record, computed: undefined } : record,
    now,
  );

/** The computed values without the given fields (a formula field removed or turned into a plain one). */
export function withoutFields(
  computed: ComputedValues | undefined,
  fieldIds: Iterable<string>,
): ComputedValues {
  const out: ComputedValues = { ...(computed ?? {}) };
  for (const id of fieldIds) delete out[id];
  return out;
}

export const sameComputed = (
  a: ComputedValues | undefined,
  b: ComputedValues | undefined,
): boolean => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
