import { FormulaGraph, FormulaNode } from './dependency-graph';
import { FormulaRecord, StoredFormulaValue } from './evaluator';

export type ComputedValues = Record<string, StoredFormulaValue>;

/**
 * Recomputes formula values of one record, in dependency order, and returns the record's new
 * formula values (the others kept). Empty results are left out, so `{}` means "all blank".
 * `now` is the time of the change that triggered the recompute: NOW() and TODAY() read it, which
 * keeps a rebuild from the log giving exactly the values the live projection stored.
 */
export function recomputeFormulas(nodes: readonly FormulaNode[], record: FormulaRecord, now: number): ComputedValues {
  const computed: Record<string, unknown> = {};
  const before = record.computed;
  if (before) for (const k in before) computed[k] = before[k];
  const view: FormulaRecord = {
    id: record.id, values: record.values, computed, created_at: record.created_at, created_by: record.created_by,
    updated_at: record.updated_at, updated_by: record.updated_by, cells: record.cells,
  };
  // The key order follows the order of changes, which a replay of the log repeats exactly.
  for (const n of nodes) {
    const value: StoredFormulaValue = n.compiled ? n.compiled.evaluate(view, now) : { error: n.error ?? 'the formula is not valid' };
    if (value === null) delete computed[n.field.id];
    else computed[n.field.id] = value;
  }
  return computed as ComputedValues;
}

/** Every formula of the record, from scratch. */
export const computeAllFormulas = (graph: FormulaGraph, record: FormulaRecord, now: number): ComputedValues =>
  recomputeFormulas(graph.ordered, record.computed ? { ...record, computed: undefined } : record, now);

/** The computed values without the given fields (a formula field removed or turned into a plain one). */
export function withoutFields(computed: ComputedValues | undefined, fieldIds: Iterable<string>): ComputedValues {
  const out: ComputedValues = { ...(computed ?? {}) };
  for (const id of fieldIds) delete out[id];
  return out;
}

export const sameComputed = (a: ComputedValues | undefined, b: ComputedValues | undefined): boolean => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
