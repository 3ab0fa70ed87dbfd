import {
  decideRefreshFollowUp,
  interactionWindowStart,
  localDate,
  preloadedContext,
} from '@crm/domain';
import type {
  FieldAddedData,
  InteractionLoggedData,
  RecordedEvent,
  ScheduledJobRanData,
} from '@crm/events';
import type { CommandScope } from '../../infrastructure/commands/command-executor';
import type { Processor, ProcessorContext } from '../../infrastructure/processing/processor';
import type { FundraisingRepository } from '../fundraising/index';
import type { FollowUpFactsReader } from './follow-up-facts';
import type { RemindersRepository } from './reminders.repository';

/** The scheduler's job whose daily run (at midnight in the fund's zone) moves the values on a day. */
export const FOLLOW_UP_DAY_JOB = 'follow-up-day';

/** Records refreshed per command, so that a night's refresh holds the write lock in short turns. */
const CHUNK = 500;

const REMINDER_EVENTS = [
  'ReminderCreated',
  'ReminderChanged',
  'ReminderDone',
  'ReminderSnoozed',
  'ReminderCancelled',
  'ReminderReopened',
  'ReminderDeleted',
];

/**
 * Keeps the follow-up fields of investors and contacts (Last contacted by, Staleness, Reminder
 * status, Interactions (90 days)) in step, after commit, each refresh caused by its event: an
 * interaction or a reminder refreshes its record; a change of settings, the fields' arrival and the
 * fund's day starting refresh every record that has follow-up facts. Only values that differ are
 * written, as the system's `RecordUpdated` (from and to), so history says when a record turned stale.
 * "Today" is the command's time in the fund's zone: a day's run, scheduled through the one
 * scheduler, is what makes a value follow time, and a missed night is caught up once at the start.
 */
export class FollowUpFieldsProcessor implements Processor {
  readonly name = 'follow-up-fields';
  readonly types = [
    'InteractionLogged',
    ...REMINDER_EVENTS,
    'FollowUpSettingsChanged',
    'FieldAdded',
    'ScheduledJobRan',
  ] as const;

  constructor(
    private readonly repo: RemindersRepository,
    private readonly base: FundraisingRepository,
    private readonly facts: FollowUpFactsReader,
  ) {}

  async handle(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    const named = this.recordsNamed(event);
    if (named === null) return;
    if (named !== 'all') {
      await ctx.execute((scope) => this.refresh(scope, named));
      return;
    }
    const settings = this.repo.settings().settings;
    const since = interactionWindowStart(localDate(event.recorded_at, settings), settings);
    const ids = this.facts.recordsWithFacts(since);
    for (let i = 0; i < ids.length; i += CHUNK)
      await ctx.execute((scope) => this.refresh(scope, ids.slice(i, i + CHUNK)));
  }

  /** The records an event may have changed the values of; `all` for those with any facts. */
  private recordsNamed(event: RecordedEvent): string[] | 'all' | null {
    switch (event.type) {
      case 'InteractionLogged': {
        const d = event.data as InteractionLoggedData;
        return d.contact_id ? [d.record_id, d.contact_id] : [d.record_id];
      }
      case 'FollowUpSettingsChanged':
        return 'all';
      case 'FieldAdded':
        return (event.data as FieldAddedData).field.type === 'follow_up' ? 'all' : null;
      case 'ScheduledJobRan':
        return (event.data as ScheduledJobRanData).job === FOLLOW_UP_DAY_JOB ? 'all' : null;
      default:
        return REMINDER_EVENTS.includes(event.type)
          ? [(event.data as { record_id: string }).record_id]
          : null;
    }
  }

  /** Inside the command: the records as they are now, their facts, and the values of today. */
  private async refresh(scope: CommandScope, ids: readonly string[]): Promise<number> {
    const settings = this.repo.settings().settings;
    const today = localDate(scope.at, settings);
    const facts = this.facts.factsOf(ids, interactionWindowStart(today, settings));
    const records = [];
    for (const id of ids) {
      const record = this.base.record(id);
      if (record) records.push({ record, facts: facts.get(id)! });
    }
    const tables = new Map(this.base.tables().map((t) => [t.id, t]));
    const decision = decideRefreshFollowUp(
      { records, today, settings },
      preloadedContext({ records: new Map(), tables }),
    );
    if (decision.appends.length) await scope.append(decision);
    return decision.appends.length;
  }
}
