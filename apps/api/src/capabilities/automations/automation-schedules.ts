import { MAX_RUN_EFFECTS, matchingRecords, planActions, type RuleState } from '@crm/domain';
import type { Clock } from '../../infrastructure/clock';
import { newId } from '../../infrastructure/clock';
import type { DueRun } from '../../infrastructure/scheduling/job-due';
import type { JobScheduler } from '../../infrastructure/scheduling/job-scheduler';
import type { FundraisingRepository } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';
import type { RunStart } from './automation-run';
import type { AutomationRunner } from './automation-runner';
import { jobNameOf, scheduleOf } from './automation-schedule';

/**
 * Schedule triggers on the one scheduler: a job per rule with a schedule, due by the rule's zone,
 * caught up once after downtime. An occurrence's run is keyed by (rule, occurrence), so it runs
 * once; it acts on the records meeting the conditions at that moment.
 */
export class AutomationSchedules {
  private readonly declared = new Set<string>();

  constructor(
    private readonly scheduler: JobScheduler,
    private readonly runner: AutomationRunner,
    private readonly automations: AutomationCommands,
    private readonly base: FundraisingRepository,
    private readonly clock: Clock,
  ) {}

  /** Declares a job for every rule with a schedule not declared yet (at start, after a change). */
  sync(): void {
    for (const rule of this.automations.repo.scheduledRuleIds()) {
      if (this.declared.has(rule)) continue;
      this.declared.add(rule);
      this.scheduler.declare({
        name: jobNameOf(rule),
        schedule: () => {
          const r = this.automations.repo.rule(rule);
          return r && r.enabled && !r.archived && r.trigger.type === 'schedule'
            ? scheduleOf(r.trigger)
            : null;
        },
        // Occurrences before the rule was last changed or turned on were never promised.
        notBefore: () => this.automations.repo.ruleUpdatedAt(rule),
        run: async (due) => ({ result: await this.runOccurrence(rule, due) }),
      });
    }
  }

  private async runOccurrence(ruleId: string, due: DueRun): Promise<null> {
    const rule = this.automations.repo.rule(ruleId);
    if (!rule || rule.trigger.type !== 'schedule') return null;
    const at = new Date(due.scheduledFor).toISOString();
    const start: RunStart = {
      run_id: newId('run'),
      rule,
      trigger_position: this.automations.repo.head(),
      trigger_event_id: `schedule-${at}`,
      record_id: null,
      chain: [],
    };
    await this.runner.run(start, this.runner.metaOf(start, `schedule:${at}`), () =>
      this.plan(rule),
    );
    return null;
  }

  /** Every matching record's steps, stopping past the most a run may have (it is then skipped). */
  private plan(rule: RuleState) {
    const table = this.base.table(rule.trigger.table_id);
    if (!table) return [];
    const now = Date.parse(this.clock.now());
    const steps = [];
    for (const record of matchingRecords(rule, table, this.base.recordsOf(table.id), { now })) {
      steps.push(...planActions(rule.actions, record, table));
      if (steps.length > MAX_RUN_EFFECTS) break;
    }
    return steps;
  }
}
