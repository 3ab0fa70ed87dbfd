import type { RunRollbackPreview, RunRollbackResult } from '@crm/contracts';
import { DomainError, invalid, notFound, planRollback, type RollbackPlan } from '@crm/domain';
import { automationStreams } from '@crm/events';
import { newId } from '../../infrastructure/clock';
import type { CommandExecutor, CommandScope } from '../../infrastructure/commands/command-executor';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import type { Actor } from '../../infrastructure/request-context/actor';
import type { FundraisingCommands, FundraisingRepository } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';

interface Token {
  run_id: string;
  head: number;
  overwrite: boolean;
}

const encode = (t: Token) => Buffer.from(JSON.stringify(t), 'utf8').toString('base64url');

function decode(token: unknown): Token {
  try {
    const t = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as Token;
    if (typeof t.run_id === 'string' && Number.isInteger(t.head)) return t;
  } catch {
    // refused below
  }
  throw invalid('token: not a rollback preview token', { field: 'token' });
}

/**
 * Rolling back one run: a preview of the compensation and of later edits by people (kept unless the
 * admin says otherwise), with a token bound to the log head; then the compensation as one batch
 * (source `restore`), so it is in the history and its cell changes can be undone like any batch.
 */
export class AutomationRollback {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly store: SqliteEventStore,
    private readonly automations: AutomationCommands,
    private readonly fundraising: FundraisingCommands,
    private readonly base: FundraisingRepository,
  ) {}

  preview(runId: string, overwrite: boolean): RunRollbackPreview {
    const run = this.runOf(runId);
    const plan = this.plan(run.effects, overwrite);
    return {
      run_id: run.id,
      effects: run.effects,
      changes: { cells: plan.cells, lists: plan.lists },
      later_edits: plan.later_edits,
      overwrite,
      token: encode({ run_id: run.id, head: this.store.lastPosition(), overwrite }),
    };
  }

  rollback(runId: string, token: unknown, actor: Actor): Promise<RunRollbackResult> {
    const t = decode(token);
    if (t.run_id !== runId) throw invalid('token: it is for another run', { field: 'token' });
    const correlation = newId('cor');
    const meta = {
      actor,
      source: 'restore' as const,
      correlation_id: correlation,
      causation_id: `restore:${JSON.stringify({ correlation_id: runId })}`,
    };
    return this.executor.execute(meta, async (scope) => {
      const head = this.store.lastPosition();
      if (head !== t.head)
        throw new DomainError(
          'conflict',
          `the log moved on since the preview (it was at ${t.head}, now ${head}); preview again`,
          { preview_head: t.head, current_version: head },
          'stale_preview',
        );
      const run = this.runOf(runId);
      const plan = this.plan(run.effects, t.overwrite);
      const changes = await this.apply(scope, plan);
      await scope.append({
        appends: [
          {
            stream_id: automationStreams.run(run.rule_id, run.trigger.event_id),
            expected_version: this.store.streamInfo(
              automationStreams.run(run.rule_id, run.trigger.event_id),
            ).version,
            events: [
              {
                type: 'AutomationRunRolledBack',
                data: {
                  run_id: run.id,
                  rule_id: run.rule_id,
                  correlation_id: correlation,
                  changes,
                  kept: t.overwrite ? 0 : plan.later_edits.length,
                },
              },
            ],
          },
        ],
        conflicts: [],
      });
      return {
        run_id: run.id,
        correlation_id: correlation,
        changes,
        kept: t.overwrite ? 0 : plan.later_edits.length,
      };
    });
  }

  private runOf(runId: string) {
    const run = this.automations.repo.run(runId);
    if (!run) throw notFound(`no automation run ${runId}`, { field: 'id' });
    if (run.status !== 'succeeded')
      throw new DomainError(
        'illegal_state',
        `run ${runId} is ${run.status}; only a run that succeeded can be rolled back`,
        {
          field: 'id',
          status: run.status,
        },
      );
    return run;
  }

  private plan(effects: Parameters<typeof planRollback>[0], overwrite: boolean): RollbackPlan {
    return planRollback(
      effects,
      {
        record: (id) => this.base.record(id),
        membership: (id) => this.automations.repo.membership(id),
      },
      overwrite,
    );
  }

  private async apply(scope: CommandScope, plan: RollbackPlan): Promise<number> {
    let changes = 0;
    if (plan.cells.length) {
      const sets = plan.cells.map((c) => ({ op: 'set' as const, ...c }));
      const result = await this.fundraising.applyChanges(sets, scope.meta);
      changes += result.applied.filter((a) => a.changed).length;
    }
    for (const l of plan.lists) {
      const r = await this.automations.setMembership(scope, { ...l, rule_id: null, run_id: null });
      if (r.from.join() !== r.to.join()) changes++;
    }
    return changes;
  }
}
