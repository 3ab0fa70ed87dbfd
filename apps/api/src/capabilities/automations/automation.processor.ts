import { planActions, RuleIndex, type RuleState, triggerFires } from '@crm/domain';
import type { CellValues, FundraisingEvent, RecordedEvent } from '@crm/events';
import type { Clock } from '../../infrastructure/clock';
import { newId } from '../../infrastructure/clock';
import type { Processor } from '../../infrastructure/processing/processor';
import type { FundraisingRepository } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';
import type { RunStart } from './automation-run';
import type { AutomationRunner, PendingRun } from './automation-runner';

/** The cells a record event wrote, as it wrote them. */
function writtenBy(event: RecordedEvent): CellValues {
  const e = event as unknown as FundraisingEvent;
  if (e.type === 'RecordCreated') return e.data.values;
  if (e.type !== 'RecordUpdated') return {};
  return Object.fromEntries(e.data.changes.map((c) => [c.field_id, c.to]));
}

/**
 * Waits this long after a commit before reading the log: the runs that the edits of that time
 * trigger are then made in one transaction, not one each, well inside the lag target (p99 ≤ 50 ms).
 */
export const AUTOMATION_COALESCE_MS = 5;

/**
 * Runs the enabled rules after commit, on record events in log order. A run is keyed by (rule,
 * triggering event): its stream can be started once, so a redelivery after a crash, a retry or a
 * replay never fires a rule twice. A run's effects carry source `automation`, the run id as their
 * correlation and the triggering event as their causation.
 *
 * Most edits fire nothing, and they must cost next to nothing: the rules are indexed by table and
 * watched field once per change of the rules, an event no rule could fire on is put aside before
 * its record is read, and the runs of one read of the log are made in one transaction.
 */
export class AutomationProcessor implements Processor {
  readonly name = 'automations';
  readonly types = ['RecordCreated', 'RecordUpdated'];
  readonly coalesceMs = AUTOMATION_COALESCE_MS;
  private index: { rules: readonly RuleState[]; index: RuleIndex } | null = null;
  /** For conditions on lists: read only when a rule has one. */
  private readonly listsOf = (id: string) => this.automations.repo.membership(id).lists;

  constructor(
    private readonly runner: AutomationRunner,
    private readonly automations: AutomationCommands,
    private readonly base: FundraisingRepository,
    private readonly clock: Clock,
  ) {}

  /** Record events only while a rule is on: with none, an import's rows are not even read. */
  wantedNow(): readonly string[] {
    return this.automations.repo.enabledRules().length > 0 ? this.types : [];
  }

  handle(event: RecordedEvent): Promise<void> {
    return this.handleBatch([event]);
  }

  async handleBatch(events: readonly RecordedEvent[]): Promise<void> {
    const index = this.ruleIndex();
    const now = Date.parse(this.clock.now());
    const candidates: [RecordedEvent, RuleState[]][] = [];
    for (const event of events) {
      const tableId = (event.data as { table_id: string }).table_id;
      const rules = index.candidates(event, () => this.base.table(tableId), now);
      if (rules.length > 0) candidates.push([event, rules]);
    }
    if (candidates.length > 0) await this.runner.runMany(this.runsOf(candidates, now));
  }

  /**
   * The runs the events trigger, read as they are made: each event's rules are put to the record
   * as the runs before it in the same transaction left it, as they would be one commit at a time.
   */
  private *runsOf(candidates: [RecordedEvent, RuleState[]][], now: number): Iterable<PendingRun> {
    for (const [event, rules] of candidates) {
      const e = event as unknown as FundraisingEvent;
      if (e.type !== 'RecordCreated' && e.type !== 'RecordUpdated') continue;
      const table = this.base.table(e.data.table_id);
      const record = this.base.record(e.data.record_id);
      if (!table || !record) continue;
      const chain = this.chainOf(event);
      for (const rule of rules)
        if (triggerFires(rule, event, record, table, { now, listsOf: this.listsOf }))
          yield this.pending(rule, event, chain);
    }
  }

  /** The index of the rules on, built anew only when they changed (the repository keeps them). */
  private ruleIndex(): RuleIndex {
    const rules = this.automations.repo.enabledRules();
    if (this.index?.rules !== rules) this.index = { rules, index: new RuleIndex(rules) };
    return this.index.index;
  }

  /** The rules behind the event: the chain of the run whose effect it is (none for a person's edit). */
  private chainOf(event: RecordedEvent): string[] {
    if (event.metadata.source !== 'automation') return [];
    return this.automations.repo.chainOf(event.metadata.correlation_id) ?? [];
  }

  private pending(rule: RuleState, event: RecordedEvent, chain: string[]): PendingRun {
    const recordId = (event.data as { record_id: string }).record_id;
    const start: RunStart = {
      run_id: newId('run'),
      rule,
      trigger_position: event.position,
      trigger_event_id: event.event_id,
      record_id: recordId,
      chain,
    };
    // The record as the rule saw it: as it is now, with the cells the event wrote as the event wrote
    // them. A set_field compares against that, so a person's later edit of the cell wins (a conflict).
    const plan = () => {
      const record = this.base.record(recordId);
      const table = this.base.table(rule.trigger.table_id);
      if (!record || !table || record.archived) return [];
      const seen = { ...record, values: { ...record.values, ...writtenBy(event) } };
      return planActions(rule.actions, seen, table);
    };
    return { start, meta: this.runner.metaOf(start, event.event_id), plan };
  }
}
