import { type AutomationEffect, type CellValue } from '@crm/events';
import { type RecordState } from '../record/record.state';
import { valuesEqual } from '../values/normalize';
import { type MembershipState } from './automation.state';

/** A cell or a list someone changed after the run: kept unless the admin says otherwise. */
export interface LaterEdit {
  record_id: string;
  /** `field <id>` or `lists`. */
  what: string;
  /** What the run left there, and what is there now. */
  run_left: unknown;
  current: unknown;
  updated_by: string | null;
  updated_at: string | null;
}

export interface RollbackPlan {
  /** Compare-and-set back to what the cell held before the run. */
  cells: { record_id: string; field_id: string; from: CellValue; to: CellValue }[];
  lists: { record_id: string; list: string; op: 'add' | 'remove' }[];
  later_edits: LaterEdit[];
}

export interface RollbackState {
  record(id: string): RecordState | undefined;
  membership(id: string): MembershipState;
}

const FIELD = /^field (.+)$/;

/**
 * How to take back one run: each effect reversed, newest first. A cell or a list a person changed
 * since the run is listed and left as it is, unless `overwrite` (then it too goes back to what it
 * was before the run). Notes stay: they are a log.
 */
export function planRollback(
  effects: readonly AutomationEffect[],
  state: RollbackState,
  overwrite = false,
): RollbackPlan {
  const plan: RollbackPlan = { cells: [], lists: [], later_edits: [] };
  for (const effect of [...effects].reverse()) {
    const record = state.record(effect.record_id);
    if (!record || record.archived) continue;
    const field = FIELD.exec(effect.what)?.[1];
    if (field !== undefined) rollBackCell(plan, record, field, effect, overwrite);
    else if (effect.what.startsWith('lists'))
      rollBackLists(plan, record, state.membership(record.id), effect, overwrite);
  }
  return plan;
}

function rollBackCell(
  plan: RollbackPlan,
  record: RecordState,
  field: string,
  effect: AutomationEffect,
  overwrite: boolean,
): void {
  const current = record.values[field] ?? null;
  const changedSince = !valuesEqual(current, effect.to);
  if (changedSince) {
    const stamp = record.cells[field];
    plan.later_edits.push({
      record_id: record.id,
      what: effect.what,
      run_left: effect.to,
      current,
      updated_by: stamp?.by ?? null,
      updated_at: stamp?.at ?? null,
    });
    if (!overwrite) return;
  }
  if (!valuesEqual(current, effect.from))
    plan.cells.push({
      record_id: record.id,
      field_id: field,
      from: current,
      to: effect.from as CellValue,
    });
}

function rollBackLists(
  plan: RollbackPlan,
  record: RecordState,
  now: MembershipState,
  effect: AutomationEffect,
  overwrite: boolean,
): void {
  const before = new Set(effect.from as string[]);
  const left = new Set(effect.to as string[]);
  const current = [...now.lists].sort();
  if (current.join() !== [...left].sort().join()) {
    plan.later_edits.push({
      record_id: record.id,
      what: 'lists',
      run_left: [...left].sort(),
      current,
      updated_by: null,
      updated_at: null,
    });
    if (!overwrite) return;
  }
  for (const list of left)
    if (!before.has(list) && now.lists.has(list))
      plan.lists.push({ record_id: record.id, list, op: 'remove' });
  for (const list of before)
    if (!left.has(list) && !now.lists.has(list))
      plan.lists.push({ record_id: record.id, list, op: 'add' });
}
