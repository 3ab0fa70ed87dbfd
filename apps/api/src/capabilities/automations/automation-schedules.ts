import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type FilterGroup,
  filterFieldIds,
  matchingRecords,
  type PlannedStep,
  planActions,
  type RecordState,
  type RuleState,
  type TableState,
} from '@crm/domain';
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
 * Runs of one occurrence started together (one commit between them). 200 at a time was tried: the
 * occurrence took no less time and the longest answer meanwhile went from 40 to 150 ms.
 */
const SLICE = 50;
/** Records read and matched at a time while an occurrence looks for the records it runs on. */
const SCAN_PAGE = 2_000;

/**
 * Schedule triggers on the one scheduler: a job per rule with a schedule, due by the rule's zone,
 * caught up once after downtime.
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

  /**
   * The records meeting the rule's conditions, read a page at a time in creation order with a turn
   * of the event loop between pages: reading and matching a whole large table at once held the
   * server for over half a second. Only the values the conditions read are read (a run plans on the
   * record as it is when it starts): parsing every record's whole values took most of the time.
   */
  private async matching(rule: RuleState, table: TableState, now: number): Promise<RecordState[]> {
    const out: RecordState[] = [];
    const reads = filterFieldIds(rule.conditions as FilterGroup | null);
    for (let after = 0; ;) {
      const page = this.base.liveRecordsPicking(table.id, after, SCAN_PAGE, reads);
      if (page.length === 0) return out;
      for (const r of matchingRecords(
        rule,
        table,
        page.map((p) => p.record),
        { now, listsOf: (id) => this.automations.repo.membership(id).lists },
      ))
        out.push(r);
      after = page[page.length - 1].seq;
      await nextTurn();
    }
  }

  /**
   * One run per record meeting the conditions at the occurrence, keyed by (rule, occurrence,
   * record): each is small, so none meets the effects limit, and a slice of them shares one commit;
   * the event loop turns between slices, so the server answers meanwhile.
   */
  private async runOccurrence(ruleId: string, due: DueRun): Promise<null> {
    const rule = this.automations.repo.rule(ruleId);
    if (!rule || rule.trigger.type !== 'schedule') return null;
    const table = this.base.table(rule.trigger.table_id);
    if (!table) return null;
    const at = new Date(due.scheduledFor).toISOString();
    const now = Date.parse(this.clock.now());
    const matching = await this.matching(rule, table, now);
    const position = this.automations.repo.head();
    for (let i = 0; i < matching.length; i += SLICE) {
      await Promise.all(
        matching.slice(i, i + SLICE).map((record) => {
          const start: RunStart = {
            run_id: newId('run'),
            rule,
            trigger_position: position,
            trigger_event_id: `schedule-${at}-${record.id}`,
            record_id: record.id,
            chain: [],
          };
          const meta = this.runner.metaOf(start, `schedule:${at}`);
          return this.runner.run(start, meta, () => this.plan(rule, record.id), true);
        }),
      );
      await nextTurn();
    }
    return null;
  }

  /**
   * The record's steps as it is when its run starts: of its values, those the actions set are read;
   * a run that only moves it between lists reads no more than that it is live.
   */
  private plan(rule: RuleState, recordId: string): PlannedStep[] {
    const table = this.base.table(rule.trigger.table_id);
    if (!table) return [];
    const sets = rule.actions.flatMap((a) => (a.type === 'set_field' ? [a.field_id] : []));
    if (!sets.length)
      return this.base.liveTableOf(recordId) === table.id
        ? planActions(rule.actions, { id: recordId, values: {} }, table)
        : [];
    const record = this.base.recordPicking(recordId, sets);
    if (!record || record.archived) return [];
    return planActions(rule.actions, record, table);
  }
}
