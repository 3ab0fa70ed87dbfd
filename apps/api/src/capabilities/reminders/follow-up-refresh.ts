import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  addDays,
  type Decision,
  followUpFieldsOf,
  decideRefreshFollowUp,
  interactionWindowStart,
  lastContactedField,
  localDate,
  preloadedContext,
} from '@crm/domain';
import type { CommandScope } from '../../infrastructure/commands/command-executor';
import type { FundraisingRepository } from '../fundraising/index';
import type { FollowUpFactsReader } from './follow-up-facts';
import type { RemindersRepository } from './reminders.repository';

/** Records read per statement when looking for typed last contacts that turned. */
const PAGE = 2_000;

/** Batches whose records were brought up to date inline, remembered for the processor. */
const NOTED_BATCHES = 1_000;

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

  /**
   * The record an edit of its "Last contacted" date may have moved (the edit is its own batch, made
   * in the grid, an import or a rule: the values follow after commit); null for any other edit.
   */
  typedContactEdited(
    tableId: string,
    recordId: string,
    fieldIds: readonly string[],
  ): string[] | null {
    const table = this.base.table(tableId);
    const field = table && lastContactedField(table);
    return field && fieldIds.includes(field.id) ? [recordId] : null;
  }

  /**
   * The records whose typed "Last contacted" date puts them in another staleness on the day of `at`
   * than they hold, or whose values were never written: read in SQLite a page at a time, a turn of
   * the event loop between pages (a fund of 100,000 investors with dates is not read whole into the
   * server's thread each night; only the records that turn are refreshed).
   */
  async typedContactsOutOfStep(at: string): Promise<string[]> {
    const settings = this.repo.settings().settings;
    const today = localDate(at, settings);
    const days = {
      agingFrom: addDays(today, -settings.aging_days),
      staleFrom: addDays(today, -settings.stale_days),
    };
    const out: string[] = [];
    for (const t of this.base.tables()) {
      const date = lastContactedField(t);
      const value = (v: string) => followUpFieldsOf(t).find((f) => f.value === v)?.field_id;
      const staleness = value('staleness');
      const status = value('reminder_status');
      if (!date || !staleness || !status) continue;
      for (let after: number | null = -1; after !== null;) {
        const page = this.base.cells.stalenessOutOfStep(
          t.id,
          { date: date.id, staleness, status },
          days,
          after,
          PAGE,
        );
        out.push(...page.ids);
        after = page.last;
        if (after !== null) await nextTurn();
      }
    }
    return out;
  }

  /** Whether any live record has a "Last contacted" date (then the day's run has work). */
  anyTypedContact(): boolean {
    return this.base.tables().some((t) => {
      const field = lastContactedField(t);
      return !!field && this.base.cells.anyWithValue(t.id, field.id);
    });
  }

  /**
   * Inside a command: appends what brings the records up to date; how many records changed. The
   * records are noted with the log's position then, so that the processor does not look at them
   * again for the events of the batch up to there (a later step of the same command may change
   * their facts again: those events it looks at).
   */
  async in(scope: CommandScope, ids: readonly string[]): Promise<number> {
    const decision = this.decide(ids, scope.at);
    if (decision.appends.length) await scope.append(decision);
    this.note(scope.meta.correlation_id, ids, scope.position());
    return decision.appends.length;
  }

  /**
   * Whether the batch brought the record up to date in its own transaction after the event at
   * `position`. Held in memory for the latest batches only: after a restart, or for an older batch,
   * the answer is no and the processor looks, as it would have anyway.
   */
  broughtUpToDate(correlation: string, id: string, position: number): boolean {
    return (this.batches.get(correlation)?.get(id) ?? 0) >= position;
  }

  /** By batch, the records brought up to date and the log's position when they were. */
  private readonly batches = new Map<string, Map<string, number>>();

  private note(correlation: string, ids: readonly string[], position: number): void {
    let known = this.batches.get(correlation);
    if (!known) {
      if (this.batches.size >= NOTED_BATCHES)
        this.batches.delete(this.batches.keys().next().value!);
      this.batches.set(correlation, (known = new Map()));
    }
    for (const id of ids) known.set(id, position);
  }
}
