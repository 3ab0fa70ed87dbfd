import { type FundraisingEvent, type RecordedEvent } from '@crm/events';
import {
  evolveRecord,
  evolveRecordInPlace,
  type FormulaNode,
  type RecordState,
  sameComputed,
  tableRecomputeFuel,
} from '@crm/domain';
import { type BacklogPlan, FormulaBacklogRepository } from '../formula-backlog.repository';
import { type FundraisingRepository } from '../fundraising.repository';
import { FormulaValues, type TableRecompute } from './formula-values';

/** Tables up to this many records are recomputed inside the change's own transaction (tens of ms). */
export const INLINE_RECOMPUTE_LIMIT = 2_000;
/** Records one slice reads at most, and the time after which it stops early: edits wait no longer. */
export const SLICE_RECORDS = 250;
export const SLICE_MS = 5;

/**
 * A record event applied to a record, formula values included: what the grid stores, the same live
 * and in a replay. `inPlace` changes the record where it lies (a rebuild's own copy).
 */
export function recordAfter(
  formulas: FormulaValues,
  record: RecordState,
  recorded: RecordedEvent,
  inPlace = false,
): RecordState {
  const event = recorded as unknown as FundraisingEvent;
  const stamp = { recorded_at: recorded.recorded_at, actor_id: recorded.metadata.actor_id };
  const changed = event.type === 'RecordUpdated' ? event.data.changes.map((c) => c.field_id) : [];
  const next = inPlace
    ? evolveRecordInPlace(record, event, stamp)
    : evolveRecord(record, event, stamp);
  return formulas.onRecord(next!, changed, recorded.recorded_at);
}

/**
 * Table-wide formula recomputes of large tables, off the request path. Adding a formula field to a
 * 100,000-record table used to hold the server for over a second inside the change's transaction;
 * now the change commits at once and the records are recomputed a slice at a time, each slice in a
 * short transaction of its own, in creation order, with the table's work budget carried from slice
 * to slice exactly as the one-go recompute carries it. A replay of the log still recomputes in one
 * go, and stores the same values:
 * - a record edited before its slice is held as it was, with the events since; its slice applies the
 *   recompute to it first and then those events again, which is the order of the log;
 * - records created after the change were computed at creation, as in a replay, and are skipped;
 * - a second schema change of the same table finishes the first recompute before it applies.
 * Until its slice, a record shows the formula values it had; the grid is told to reload when a
 * table is done.
 */
export class FormulaBacklog {
  readonly formulas: FormulaValues;
  private readonly store: FormulaBacklogRepository;
  /** Tables that may have a recompute under way; edits of other tables never look at the backlog. */
  private pending: Set<string> | null = null;

  constructor(
    private readonly repo: FundraisingRepository,
    private readonly inlineLimit = INLINE_RECOMPUTE_LIMIT,
  ) {
    this.formulas = new FormulaValues(repo);
    this.store = new FormulaBacklogRepository(repo.db);
  }

  /** A table-wide recompute asked for by `recorded`: done now on a small table, else left to slices. */
  recompute(plan: TableRecompute, recorded: RecordedEvent): void {
    const count = this.repo.countOf(plan.table_id);
    if (count <= this.inlineLimit) return this.formulas.applyToTable(plan, recorded.recorded_at);
    this.store.insert({
      table_id: plan.table_id,
      position: recorded.position,
      recorded_at: recorded.recorded_at,
      nodes: plan.nodes.map((n) => n.field.id),
      drop: plan.drop,
      after_seq: 0,
      fuel: tableRecomputeFuel(count),
    });
    this.pendingTables().add(plan.table_id);
  }

  /**
   * True when the record's recompute has not reached it: the event is then held with the record as
   * it was, to be applied after the recompute (see the class comment), and the caller stores the
   * event's values without recomputing formulas.
   */
  holds(record: RecordState, recorded: RecordedEvent): boolean {
    if (!this.pendingTables().has(record.table_id) || !this.store.waiting(record.id)) return false;
    this.store.hold(record, recorded);
    return true;
  }

  /** True when a recompute may be under way (a cheap look, from memory once loaded). */
  hasWork(): boolean {
    return this.pendingTables().size > 0;
  }

  /** Tables with a recompute under way, oldest first. */
  tables(): string[] {
    return this.store.tables();
  }

  /**
   * Recomputes the next `limit` records of the table's plan, or fewer when `ms` have passed (where a
   * slice ends changes nothing: the budget is carried in record order); true when the plan is done
   * (and gone). Runs inside the caller's transaction.
   */
  slice(tableId: string, limit = SLICE_RECORDS, ms = Infinity): boolean {
    const plan = this.store.plan(tableId);
    if (!plan) return true;
    const table = this.repo.table(tableId);
    const batch = table
      ? this.repo.recordsBetween(tableId, plan.after_seq, plan.position, limit)
      : [];
    if (!table || batch.length === 0) {
      this.store.remove(tableId);
      this.pending?.delete(tableId);
      return true;
    }
    const graph = this.formulas.graph(table);
    const nodes = plan.nodes.map((id) => graph.node(id)).filter((n): n is FormulaNode => !!n);
    const now = Date.parse(plan.recorded_at);
    let fuel = plan.fuel;
    const until = performance.now() + ms;
    let last = 0;
    this.formulas.readingPartsOnce(() => {
      while (last < batch.length) {
        fuel = this.recomputeOne(plan, nodes, batch[last++].record, now, fuel);
        if (last % 16 === 0 && performance.now() > until) break;
      }
    });
    this.store.advance(tableId, batch[last - 1].seq, fuel);
    return false;
  }

  /** The whole plan of a table now (before another schema change of it, or in a backup's copy). */
  finish(tableId: string): void {
    if (!this.pendingTables().has(tableId)) return;
    while (!this.slice(tableId, 10_000));
  }

  finishAll(): void {
    for (const t of this.tables()) this.finish(t);
  }

  reset(): void {
    this.pending = null;
  }

  private recomputeOne(
    plan: BacklogPlan,
    nodes: FormulaNode[],
    stored: RecordState,
    now: number,
    fuel: number,
  ): number {
    const held = this.store.held(plan.table_id, stored.id);
    const before = held ? held.state : stored;
    const run = this.formulas.applyToRecord({ nodes, drop: plan.drop }, before, now, fuel);
    let after: RecordState = { ...before, computed: run.computed };
    if (held) {
      for (const e of held.events) after = recordAfter(this.formulas, after, e);
      this.store.release(plan.table_id, stored.id);
    }
    if (!sameComputed(after.computed as never, stored.computed as never))
      this.repo.updateComputed(stored.id, after.computed ?? {});
    return fuel - run.spent;
  }

  private pendingTables(): Set<string> {
    this.pending ??= new Set(this.store.tables());
    return this.pending;
  }
}
