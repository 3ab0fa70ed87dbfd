import { type AutomationDefinition, type AutomationEffect, type RecordedEvent } from '@crm/events';
import { type BaseState, evolveBase, initialBaseState } from '../base/base.state';
import { type FilterGroup, filterFieldIds } from '../filter/view-config';
import { type RecordState } from '../record/record.state';
import { type TableState } from '../table/table.state';
import { isDerivedType } from '../values/field-types';
import { DerivedAt } from '../view/view-at';
import { decideSetMembership } from './decide/set-membership.decide';
import { type RuleState } from './automation.state';
import { planActions, reminderEffect } from './run-plan';
import { matchingRecords, triggerFires } from './trigger-match';

const NO_LISTS: ReadonlySet<string> = new Set();

/** Effects a backtest lists at most; runs and effects are counted over all of them. */
export const BACKTEST_SHOWN = 100;

export interface BacktestDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  runs: number;
  effects: number;
}

export interface BacktestResult {
  from: string;
  runs: number;
  total_effects: number;
  by_date: BacktestDay[];
  /** The first effects, each with the moment its run would have been. */
  effects: (AutomationEffect & { at: string })[];
}

/**
 * What a rule would have done over the real history since `from`: the log is replayed from its
 * start, and every record event after `from` is put to the rule as it stood then (its trigger, its
 * conditions with "today" being that day). A schedule rule is given its occurrences since `from`
 * (`ticks`, UTC ms, ascending): at each, every record of its table meeting the conditions then is
 * a run, as the scheduler would make it. The rule's own list moves are fed back: a later step of
 * the same backtest sees the record in the lists the rule would have put it in (its cell changes
 * and notes are not: the cells stay the ones that happened). Formula fields the rule reads are
 * computed at each step, as the grid would have shown them then: lookups, rollups and counts over
 * the linked records as they were at that step, and `{Lists}` from the lists then. Writes nothing;
 * feed it the log in order.
 */
export class Backtest {
  private readonly base: BaseState = initialBaseState();
  private readonly lists = new Map<string, Set<string>>();
  private readonly days = new Map<string, BacktestDay>();
  private readonly shown: BacktestResult['effects'] = [];
  private readonly listsOf = (id: string): ReadonlySet<string> => this.lists.get(id) ?? NO_LISTS;
  private runs = 0;
  private total = 0;
  private readonly rule: RuleState;
  /** The next of `ticks` to run, and its time as the log writes times. */
  private nextTick = 0;
  private nextTickAt: string | null = null;
  /** The fields the rule's trigger and conditions read: formulas are computed only when one is. */
  private readonly reads: Set<string>;
  /** Derived values over the replayed base, computed afresh at each step. */
  private readonly derived: DerivedAt;

  constructor(
    definition: AutomationDefinition,
    private readonly from: string,
    private readonly ticks: readonly number[] = [],
  ) {
    this.rule = {
      ...definition,
      id: 'backtest',
      version: 1,
      stream_version: 1,
      enabled: true,
      archived: false,
    };
    this.nextTickAt = ticks.length > 0 ? new Date(ticks[0]).toISOString() : null;
    this.reads = fieldsRead(definition);
    this.derived = new DerivedAt(this.base, 0, undefined, this.listsOf);
  }

  feed(events: readonly RecordedEvent[]): void {
    for (const e of events) {
      // An occurrence runs over the records as they were before what was recorded after it.
      if (this.nextTickAt !== null && this.nextTickAt <= e.recorded_at)
        this.tickUntil(e.recorded_at);
      evolveBase(this.base, e);
      if (e.type === 'MembershipAdded' || e.type === 'MembershipRemoved') this.moved(e);
      else if (
        e.recorded_at >= this.from &&
        (e.type === 'RecordCreated' || e.type === 'RecordUpdated')
      )
        this.consider(e);
    }
  }

  /** What the rule would have done: the occurrences after the last event fed run first. */
  result(): BacktestResult {
    this.tickUntil(null);
    return {
      from: this.from,
      runs: this.runs,
      total_effects: this.total,
      by_date: [...this.days.values()],
      effects: this.shown,
    };
  }

  private moved(e: RecordedEvent): void {
    const d = e.data as { record_id: string; list: string };
    const set = this.lists.get(d.record_id) ?? new Set<string>();
    if (e.type === 'MembershipAdded') set.add(d.list);
    else set.delete(d.list);
    this.lists.set(d.record_id, set);
  }

  private consider(e: RecordedEvent): void {
    const d = e.data as { table_id: string; record_id: string };
    if (d.table_id !== this.rule.trigger.table_id) return;
    const table = this.base.tables.get(d.table_id);
    const record = this.base.records.get(d.record_id);
    if (!table || !record) return;
    const ctx = { now: Date.parse(e.recorded_at), listsOf: this.listsOf };
    if (this.formulasRead(table)) this.derived.moveTo(ctx.now);
    const seen = this.withFormulas(table, record);
    if (!triggerFires(this.rule, e, seen, table, ctx)) return;
    this.ran(this.effectsOf(planActions(this.rule.actions, seen, table), d), e.recorded_at);
  }

  /** Runs the occurrences at or before `at` (all that are left when null). */
  private tickUntil(at: string | null): void {
    while (this.nextTickAt !== null && (at === null || this.nextTickAt <= at)) {
      this.tick(this.ticks[this.nextTick], this.nextTickAt);
      this.nextTick++;
      this.nextTickAt =
        this.nextTick < this.ticks.length
          ? new Date(this.ticks[this.nextTick]).toISOString()
          : null;
    }
  }

  /** One occurrence of a schedule: a run per record of its table meeting the conditions then. */
  private tick(now: number, at: string): void {
    const table = this.base.tables.get(this.rule.trigger.table_id);
    if (!table) return;
    const ctx = { now, listsOf: this.listsOf };
    if (this.formulasRead(table)) this.derived.moveTo(now);
    const records = this.formulasRead(table)
      ? [...this.base.records.values()].map((r) => this.withFormulas(table, r))
      : this.base.records.values();
    for (const record of matchingRecords(this.rule, table, records, ctx)) {
      const d = { table_id: table.id, record_id: record.id };
      this.ran(this.effectsOf(planActions(this.rule.actions, record, table), d), at);
    }
  }

  /** Whether the rule reads a formula field of the table (a lookup, a rollup or a count too). */
  private formulasRead(table: TableState): boolean {
    return table.fields.some((f) => isDerivedType(f.type) && this.reads.has(f.id));
  }

  /**
   * The record with its formula, lookup, rollup and count values at the step `derived` was moved
   * to, when the rule reads any (else as it is). `{Lists}` reads the lists as the backtest has them
   * then, its own moves included.
   */
  private withFormulas(table: TableState, record: RecordState): RecordState {
    if (record.table_id !== table.id || !this.formulasRead(table)) return record;
    return { ...record, computed: this.derived.of(record) };
  }

  private ran(effects: AutomationEffect[], at: string): void {
    const date = at.slice(0, 10);
    const day = this.days.get(date) ?? { date, runs: 0, effects: 0 };
    day.runs++;
    day.effects += effects.length;
    this.days.set(date, day);
    this.runs++;
    this.total += effects.length;
    for (const effect of effects)
      if (this.shown.length < BACKTEST_SHOWN) this.shown.push({ ...effect, at });
  }

  private effectsOf(
    steps: ReturnType<typeof planActions>,
    d: { table_id: string; record_id: string },
  ): AutomationEffect[] {
    const out: AutomationEffect[] = [];
    for (const step of steps) {
      if (step.kind === 'cell')
        out.push({
          record_id: d.record_id,
          what: `field ${step.field_id}`,
          from: step.from,
          to: step.to,
        });
      else if (step.kind === 'note')
        out.push({ record_id: d.record_id, what: 'note', from: null, to: step.text });
      else if (step.kind === 'reminder') out.push(reminderEffect(step));
      else {
        const lists = this.lists.get(d.record_id) ?? new Set<string>();
        const m = decideSetMembership(
          { ...step, table_id: d.table_id, rule_id: null, run_id: null },
          { membership: () => ({ lists, version: 0 }), isList: () => true },
        );
        // What the rule would have moved, later steps see (the history's own moves still apply).
        this.lists.set(d.record_id, new Set(m.to));
        if (m.from.join() !== m.to.join())
          out.push({
            record_id: d.record_id,
            what: `lists (${step.op} ${step.list})`,
            from: m.from,
            to: m.to,
          });
      }
    }
    return out;
  }
}

/** The field ids a rule's trigger and conditions name, at any depth of the conditions. */
function fieldsRead(rule: AutomationDefinition): Set<string> {
  return new Set([
    ...(rule.trigger.type === 'record_updated' ? (rule.trigger.fields ?? []) : []),
    ...filterFieldIds(rule.conditions as FilterGroup | null),
  ]);
}
