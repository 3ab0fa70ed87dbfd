import { MAX_FAILURES_IN_A_ROW, type PlannedStep } from '@crm/domain';
import { automationStreams } from '@crm/events';
import type {
  CommandExecutor,
  CommandMeta,
  CommandScope,
} from '../../infrastructure/commands/command-executor';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import type { FundraisingCommands } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';
import { guardOf, type RunStart, RunWriter } from './automation-run';

/** A run to make: what triggered it, the metadata of its events and its plan (made in its transaction). */
export interface PendingRun {
  start: RunStart;
  meta: CommandMeta;
  plan: () => PlannedStep[];
}

/**
 * Makes one run, whatever triggered it (an event, a schedule): in one transaction, unless the run's
 * stream shows it ran already; a failure rolls its effects back and is recorded in a transaction of
 * its own, and the fifth failure in a row turns the rule off.
 */
export class AutomationRunner {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly store: SqliteEventStore,
    private readonly automations: AutomationCommands,
    private readonly fundraising: FundraisingCommands,
  ) {}

  /** The metadata of the run's events: the rule acts, with the run as the correlation. */
  metaOf(start: RunStart, causationId: string): CommandMeta {
    return {
      actor: { id: start.rule.id, name: start.rule.name, role: 'system' },
      source: 'automation',
      correlation_id: start.run_id,
      causation_id: causationId,
    };
  }

  /**
   * `grouped`: through the group commit, so that the runs started in one turn (a schedule's runs
   * over its records) share a transaction and an fsync, each in its own savepoint.
   */
  async run(
    start: RunStart,
    meta: CommandMeta,
    plan: () => PlannedStep[],
    grouped = false,
  ): Promise<void> {
    // A run lost to a power cut is made again after the restart: the processor's checkpoint and the
    // scheduler's record of the occurrence are written after it, and the run's stream is then absent.
    const write = grouped
      ? this.executor.submit.bind(this.executor)
      : this.executor.executeUnsynced.bind(this.executor);
    try {
      await write(meta, (scope) => this.attempt(scope, start, plan));
    } catch (error) {
      await this.executor.execute(meta, (scope) => this.recordFailure(scope, start, error));
    }
  }

  /**
   * Many runs (what one read of the log triggers) in one transaction, each in a savepoint: a failure
   * rolls back that run alone and is recorded at once, in order, so that the fifth in a row turns
   * its rule off before its later runs.
   */
  runMany(runs: Iterable<PendingRun>): Promise<void> {
    return this.executor.executeUnsyncedTogether(async (command) => {
      const off = new Set<string>();
      for (const { start, meta, plan } of runs) {
        if (off.has(start.rule.id)) continue;
        try {
          await command(meta, (scope) => this.attempt(scope, start, plan));
        } catch (error) {
          if (await command(meta, (scope) => this.recordFailure(scope, start, error)))
            off.add(start.rule.id);
        }
      }
    });
  }

  private async attempt(
    scope: CommandScope,
    start: RunStart,
    plan: () => PlannedStep[],
  ): Promise<void> {
    if (this.ran(start)) return;
    const w = new RunWriter(scope, start, this.automations, this.fundraising);
    w.started();
    const steps = plan();
    const guard = guardOf(start, steps.length);
    if (guard) await w.skipped(guard);
    else await w.perform(steps);
  }

  private ran(start: RunStart): boolean {
    const stream = automationStreams.run(start.rule.id, start.trigger_event_id);
    return this.store.streamInfo(stream).version > 0;
  }

  /** The run as failed; true when that was its rule's failure too many in a row (turned off). */
  private async recordFailure(
    scope: CommandScope,
    start: RunStart,
    error: unknown,
  ): Promise<boolean> {
    const message = (error as Error)?.message ?? String(error);
    if (this.ran(start)) return false;
    const w = new RunWriter(scope, start, this.automations, this.fundraising);
    w.started();
    await w.failed(message);
    const inARow = this.automations.repo.failuresInARow(start.rule.id);
    if (inARow < MAX_FAILURES_IN_A_ROW) return false;
    await this.automations.disableFailing(start.rule.id, inARow, message, {
      ...scope.meta,
      actor: SYSTEM_ACTOR,
      source: 'system',
    });
    return true;
  }
}
