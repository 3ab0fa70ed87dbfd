import { type FieldDefinition } from '@crm/events';
import { type DecideContext } from '../base/decide-context';
import { invalid } from '../errors';
import { FormulaGraph, type FormulaNode } from './dependency-graph';
import { type FormulaRecord } from './stored-values';
import { recomputeFormulasMetered } from './record-formulas';
import { FORMULA_LIMITS, tableRecomputeFuel } from './types';

/** Records a cost estimate evaluates, spread evenly over the table. */
export const RECOMPUTE_SAMPLE_SIZE = 32;

export interface RecomputeEstimate {
  records: number;
  sampled: number;
  /** Work units per record, on average over the sample (the sample's budget when it ran out). */
  per_record: number;
  total: number;
  budget: number;
  exceeded: boolean;
}

/** Up to `size` records spread evenly over the list. */
export function evenSample<T>(records: readonly T[], size: number = RECOMPUTE_SAMPLE_SIZE): T[] {
  const k = Math.min(size, records.length);
  return Array.from({ length: k }, (_, i) => records[Math.floor((i * records.length) / k)]);
}

const sampleOf = <T>(records: readonly T[]) => ({
  count: records.length,
  sample: evenSample(records),
});

/**
 * Estimates the work of recomputing `nodes` on all `count` records by running them on a sample
 * spread over the table. The sample may spend only its records' share of the budget, so the estimate
 * never costs more than a small part of what it guards against, and it stops once that is gone.
 */
export function estimateRecompute(
  nodes: readonly FormulaNode[],
  sample: readonly FormulaRecord[],
  count: number,
  budget: number = tableRecomputeFuel(count),
): RecomputeEstimate {
  const n = count;
  const k = Math.min(sample.length, n);
  const allowed = n === 0 ? 0 : (budget / n) * k;
  let spent = 0;
  let sampled = 0;
  for (let i = 0; i < k && spent < allowed; i++) {
    const record = sample[i];
    // The clock does not change what a formula costs; a decision never reads it.
    spent += recomputeFormulasMetered(
      nodes,
      record,
      0,
      Math.min(allowed - spent, FORMULA_LIMITS.recordFuel),
    ).spent;
    sampled++;
  }
  const exceeded = n > 0 && spent >= allowed;
  const perRecord = sampled === 0 ? 0 : exceeded ? allowed / sampled : spent / sampled;
  return {
    records: n,
    sampled,
    per_record: Math.ceil(perRecord),
    total: Math.ceil(perRecord * n),
    budget,
    exceeded: exceeded || perRecord * n > budget,
  };
}

/**
 * Refuses a formula field (new, or a field changed into one or given a new formula) whose recompute
 * of the table would cost more than its budget (`tableRecomputeFuel`): one person's formula must not hold
 * up everyone else's requests.
 */
export function checkRecomputeCost(
  fields: readonly FieldDefinition[],
  field: FieldDefinition,
  tableId: string,
  ctx: DecideContext,
): void {
  if (field.type !== 'formula') return;
  const nodes = FormulaGraph.of(fields).dependentsOf(field.id);
  if (nodes.length === 0) return;
  const { count, sample } =
    ctx.recordSample?.(tableId, RECOMPUTE_SAMPLE_SIZE) ?? sampleOf([...ctx.recordsOf(tableId)]);
  const e = estimateRecompute(nodes, sample, count);
  if (!e.exceeded) return;
  throw invalid(
    `field "${field.name}": this formula needs too much work to compute for all ${e.records.toLocaleString('en-US')} records ` +
      `(about ${e.per_record.toLocaleString('en-US')} work units a record; ${e.budget.toLocaleString('en-US')} for the whole table): simplify it, ` +
      'for example run regular expressions on shorter text',
    {
      field: field.name,
      option: 'formula',
      reason: 'formula_too_costly',
      records: e.records,
      estimated_units: e.total,
      budget_units: e.budget,
    },
  );
}
