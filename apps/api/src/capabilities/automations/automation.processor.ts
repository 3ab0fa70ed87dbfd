import {
  MAX_FAILURES_IN_A_ROW,
  planActions,
  type RecordState,
  type RuleState,
  type TableState,
  triggerFires,
} from '@crm/domain';
import type { FundraisingEvent, RecordedEvent } from '@crm/events';
import { automationStreams } from '@crm/events';
import type { Clock } from '../../infrastructure/clock';
import { newId } from '../../infrastructure/clock';
import type { CommandExecutor, CommandMeta } from '../../infrastructure/commands/command-executor';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import type { Processor } from '../../infrastructure/processing/processor';
import type { FundraisingCommands, FundraisingRepository } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';
import { guardOf, type RunStart, RunWriter } from './automation-run';

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
    private readonly executor: CommandExecutor,
    private readonly store: SqliteEventStore,
    private readonly automations: AutomationCommands,
    private readonly fundraising: FundraisingCommands,
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
      if (triggerFires(rule, event, record, table, { now }))
        await this.run(rule, event, this.base.record(record.id) ?? record, table, chain);
  }

  /** The rules behind the event: the chain of the run whose effect it is (none for a person's edit). */
  private chainOf(event: RecordedEvent): string[] {
    if (event.metadata.source !== 'automation') return [];
    return this.automations.repo.chainOf(event.metadata.correlation_id) ?? [];
  }

  private async run(
    rule: RuleState,
    event: RecordedEvent,
    record: RecordState,
    table: TableState,
    chain: string[],
  ): Promise<void> {
    const start: RunStart = {
      run_id: newId('run'),
      rule,
      trigger_position: event.position,
      trigger_event_id: event.event_id,
      record_id: record.id,
      chain,
    };
    const meta: CommandMeta = {
      actor: { id: rule.id, name: rule.name, role: 'system' },
      source: 'automation',
      correlation_id: start.run_id,
      causation_id: event.event_id,
    };
    try {
      await this.executor.execute(meta, async (scope) => {
        if (this.ran(rule, event)) return;
        const w = new RunWriter(scope, start, this.automations, this.fundraising);
        await w.started();
        const steps = planActions(rule.actions, record, table);
        const guard = guardOf(start, steps.length);
        if (guard) await w.skipped(guard);
        else await w.perform(steps);
      });
    } catch (error) {
      await this.failed(start, meta, error);
    }
  }

  private ran(rule: RuleState, event: RecordedEvent): boolean {
    return this.store.streamInfo(automationStreams.run(rule.id, event.event_id)).version > 0;
  }

  /** The run's effects were rolled back; the failure is recorded, and a fifth in a row turns the rule off. */
  private async failed(start: RunStart, meta: CommandMeta, error: unknown): Promise<void> {
    const message = (error as Error)?.message ?? String(error);
    await this.executor.execute(meta, async (scope) => {
      if (
        this.store.streamInfo(automationStreams.run(start.rule.id, start.trigger_event_id))
          .version > 0
      )
        return;
      const w = new RunWriter(scope, start, this.automations, this.fundraising);
      await w.started();
      await w.failed(message);
      const inARow = this.automations.repo.failuresInARow(start.rule.id);
      if (inARow >= MAX_FAILURES_IN_A_ROW)
        await this.automations.disableFailing(start.rule.id, inARow, message, {
          ...meta,
          actor: { id: 'system', name: 'System', role: 'system' },
          source: 'system',
        });
    });
  }
}
