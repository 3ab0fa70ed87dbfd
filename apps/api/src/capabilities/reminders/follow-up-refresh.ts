import {
  type Decision,
  decideRefreshFollowUp,
  interactionWindowStart,
  localDate,
  preloadedContext,
} from '@crm/domain';
import type { CommandScope } from '../../infrastructure/commands/command-executor';
import type { FundraisingRepository } from '../fundraising/index';
import type { FollowUpFactsReader } from './follow-up-facts';
import type { RemindersRepository } from './reminders.repository';

/**
 * Brings records' follow-up fields up to date as of a moment: the values their facts give on that
 * day in the fund's zone, against what the records hold. Run inside the command that changed the
 * facts (a log, a reminder's change: one batch, one transaction) and by the processor for what no
 * request made (the day starting, the settings, the fields' arrival).
 */
export class FollowUpRefresh {
  constructor(
    private readonly repo: RemindersRepository,
    private readonly base: FundraisingRepository,
    private readonly facts: FollowUpFactsReader,
  ) {}

  /** The events that would bring the records up to date at `at` (none when they are). */
  decide(ids: readonly string[], at: string): Decision {
    const settings = this.repo.settings().settings;
    const today = localDate(at, settings);
    const facts = this.facts.factsOf(ids, interactionWindowStart(today, settings));
    const records = [];
    for (const id of ids) {
      const record = this.base.record(id);
      if (record) records.push({ record, facts: facts.get(id)! });
    }
    const tables = new Map(this.base.tables().map((t) => [t.id, t]));
    return decideRefreshFollowUp(
      { records, today, settings },
      preloadedContext({ records: new Map(), tables }),
    );
  }

  /** Inside a command: appends what brings the records up to date; how many records changed. */
  async in(scope: CommandScope, ids: readonly string[]): Promise<number> {
    const decision = this.decide(ids, scope.at);
    if (decision.appends.length) await scope.append(decision);
    return decision.appends.length;
  }
}
