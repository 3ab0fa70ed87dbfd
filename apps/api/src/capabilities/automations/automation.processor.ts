import { planActions, type RuleState, triggerFires } from '@crm/domain';
import type { CellValues, FundraisingEvent, RecordedEvent } from '@crm/events';
import type { Clock } from '../../infrastructure/clock';
import { newId } from '../../infrastructure/clock';
import type { Processor } from '../../infrastructure/processing/processor';
import type { FundraisingRepository } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';
import type { RunStart } from './automation-run';
import type { AutomationRunner } from './automation-runner';

/** The cells a record event wrote, as it wrote them. */
function writtenBy(event: RecordedEvent): CellValues {
  const e = event as unknown as FundraisingEvent;
  if (e.type === 'RecordCreated') return e.data.values;
  if (e.type !== 'RecordUpdated') return {};
  return Object.fromEntries(e.data.changes.map((c) => [c.field_id, c.to]));
}

/**
 * Runs the enabled rules after commit, on record events in log order. A run is keyed by (rule,
 * triggering event): its stream can be started once, so a redelivery after a crash, a retry or a
 * replay never fires a rule twice. A run's effects carry source `automation`, the run id as their
 * correlation and the triggering event as their causation.
 */
export class AutomationProcessor implements Processor {
  readonly name = 'automations';
  readonly types = ['RecordCreated', 'RecordUpdated'];

  constructor(
    private readonly runner: AutomationRunner,
    private readonly automations: AutomationCommands,
    private readonly base: FundraisingRepository,
    private readonly clock: Clock,
  ) {}

  async handle(event: RecordedEvent): Promise<void> {
    const e = event as unknown as FundraisingEvent;
    if (e.type !== 'RecordCreated' && e.type !== 'RecordUpdated') return;
    const rules = this.automations.repo
      .enabledRules()
      .filter((r) => r.trigger.type !== 'schedule' && r.trigger.table_id === e.data.table_id);
    if (rules.length === 0) return;
    const table = this.base.table(e.data.table_id);
    const record = this.base.record(e.data.record_id);
    if (!table || !record) return;
    const chain = this.chainOf(event);
    const now = Date.parse(this.clock.now());
    for (const rule of rules)
      if (triggerFires(rule, event, record, table, { now })) await this.run(rule, event, chain);
  }

  /** The rules behind the event: the chain of the run whose effect it is (none for a person's edit). */
  private chainOf(event: RecordedEvent): string[] {
    if (event.metadata.source !== 'automation') return [];
    return this.automations.repo.chainOf(event.metadata.correlation_id) ?? [];
  }

  private run(rule: RuleState, event: RecordedEvent, chain: string[]): Promise<void> {
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
    return this.runner.run(start, this.runner.metaOf(start, event.event_id), () => {
      const record = this.base.record(recordId);
      const table = this.base.table(rule.trigger.table_id);
      if (!record || !table || record.archived) return [];
      const seen = { ...record, values: { ...record.values, ...writtenBy(event) } };
      return planActions(rule.actions, seen, table);
    });
  }
}
