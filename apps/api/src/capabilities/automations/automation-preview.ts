import type { AutomationDefinition, AutomationTrigger } from '@crm/events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  Backtest,
  type BacktestResult,
  checkDefinition,
  dryRun,
  type DryRunResult,
  invalid,
  notFound,
} from '@crm/domain';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import type { Clock } from '../../infrastructure/clock';
import type { FundraisingRepository } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';
import { scheduleOf } from './automation-schedule';
import { nextOccurrence } from '../../infrastructure/scheduling/schedule-rule';

/** Dry runs: what a rule, saved or not, would change now; nothing is written. */
export class AutomationPreview {
  constructor(
    private readonly commands: AutomationCommands,
    private readonly base: FundraisingRepository,
    private readonly clock: Clock,
    private readonly store: SqliteEventStore,
  ) {}

  /** The rule a request names: one sent whole (checked as a new rule is), or a saved one. */
  ruleOf(body: { rule?: unknown; rule_id?: unknown }): AutomationDefinition {
    if (body.rule !== undefined) {
      if (body.rule === null || typeof body.rule !== 'object' || Array.isArray(body.rule))
        throw invalid('rule: must be { name, trigger, conditions, actions }', { field: 'rule' });
      const raw = { name: 'Dry run', ...(body.rule as Record<string, unknown>) };
      return asPart(() => checkDefinition(raw, this.commands.ctx));
    }
    if (typeof body.rule_id !== 'string')
      throw invalid('send either rule or rule_id', { field: 'rule_id' });
    const saved = this.commands.repo.rule(body.rule_id);
    if (!saved || saved.archived)
      throw notFound(`no automation rule ${body.rule_id}`, { field: 'rule_id' });
    return saved;
  }

  /** What the rule would have done since `from` over the real history; writes nothing. */
  async backtest(rule: AutomationDefinition, rawFrom: unknown): Promise<BacktestResult> {
    const now = this.clock.now();
    const from = fromOf(rawFrom, now);
    const ticks = rule.trigger.type === 'schedule' ? ticksOf(rule.trigger, from, now) : [];
    const test = new Backtest(rule, from, ticks);
    for (let after = 0; ;) {
      const events = this.store.readForReplay(after, BACKTEST_SLICE);
      if (events.length === 0) break;
      test.feed(events);
      after = events[events.length - 1].position;
      await nextTurn();
    }
    return test.result();
  }

  dryRun(rule: AutomationDefinition): DryRunResult {
    const table = this.base.table(rule.trigger.table_id);
    if (!table)
      throw notFound('the rule names a table that is gone', { field: 'trigger.table_id' });
    return dryRun(
      rule,
      table,
      this.base.recordsOf(table.id),
      {
        membership: (id) => this.commands.repo.membership(id),
        isList: (n) => this.commands.repo.isList(n),
      },
      {
        now: Date.parse(this.clock.now()),
        listsOf: (id) => this.commands.repo.membership(id).lists,
      },
    );
  }
}

/** Events read per slice of a backtest; the event loop turns between slices. */
const BACKTEST_SLICE = 5_000;

/** Occurrences a schedule's backtest replays at most: an hourly rule's 13 months. */
const BACKTEST_TICKS = 24 * 400;

/** The occurrences of a schedule trigger after `from`, up to `now` (UTC ms). */
function ticksOf(
  trigger: Extract<AutomationTrigger, { type: 'schedule' }>,
  from: string,
  now: string,
): number[] {
  const schedule = scheduleOf(trigger);
  const end = Date.parse(now);
  const ticks: number[] = [];
  for (let t = nextOccurrence(schedule, Date.parse(from) - 1); t <= end;) {
    if (ticks.length === BACKTEST_TICKS)
      throw invalid(`from: a schedule's backtest covers at most ${BACKTEST_TICKS} occurrences`, {
        field: 'from',
        reason: 'too_many_occurrences',
      });
    ticks.push(t);
    t = nextOccurrence(schedule, t);
  }
  return ticks;
}

/** `from` of a backtest: an ISO date or date-time in the past. */
function fromOf(raw: unknown, now: string): string {
  const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms) || ms > Date.parse(now))
    throw invalid('from: must be an ISO 8601 date or date-time in the past', {
      field: 'from',
      given: raw ?? null,
    });
  return new Date(ms).toISOString();
}

/** A mistake in a rule sent whole is named under `rule.` */
function asPart<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    const d = (e as { details?: Record<string, unknown> }).details;
    if (d && typeof d.field === 'string') d.field = `rule.${d.field}`;
    throw e;
  }
}
