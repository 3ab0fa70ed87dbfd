import { setImmediate as nextTurn } from 'node:timers/promises';
import { interactionWindowStart, localDate } from '@crm/domain';
import type {
  FieldAddedData,
  InteractionLoggedData,
  RecordedEvent,
  RecordUnarchivedData,
  RecordUpdatedData,
  ScheduledJobRanData,
} from '@crm/events';
import { type Clock, newId } from '../../infrastructure/clock';
import type { Processor, ProcessorContext } from '../../infrastructure/processing/processor';
import type { FollowUpFactsReader } from './follow-up-facts';
import type { FollowUpRefresh } from './follow-up-refresh';
import type { RemindersRepository } from './reminders.repository';

/** The scheduler's job whose daily run (at midnight in the fund's zone) moves the values on a day. */
export const FOLLOW_UP_DAY_JOB = 'follow-up-day';

/**
 * Records refreshed per command, so that a night's refresh holds the write lock in short turns,
 * with a turn of the event loop between them: a command that commits at once is a settled promise,
 * and without the turn the whole refresh ran as one (8 s for 100,000 investors, every request
 * waiting). A command of 500 held the thread for about 40 ms.
 */
const CHUNK = 100;

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
 * status, Interactions (90 days)) in step with what no request of a person brings up to date in its
 * own batch, after commit, each refresh caused by its event: a reminder an automation or the system
 * made or cancelled, a record brought back from the archive, or an edit of a record's typed "Last
 * contacted" date, refreshes its record; a change of settings, the fields' arrival and the fund's
 * day starting refresh every record that has follow-up facts. Only values that differ are written,
 * as the system's `RecordUpdated` (from and to), so history says when a record turned stale.
 * "Today" is the command's time in the fund's zone: the day's run, scheduled through the one
 * scheduler, is what makes a value follow time, and a missed night is caught up once at the start.
 */
export class FollowUpFieldsProcessor implements Processor {
  readonly name = 'follow-up-fields';
  readonly types = [
    'InteractionLogged',
    'InteractionRetracted',
    'InteractionRestored',
    ...REMINDER_EVENTS,
    'FollowUpSettingsChanged',
    'FieldAdded',
    'ScheduledJobRan',
    'RecordUnarchived',
    'RecordUpdated',
  ] as const;

  constructor(
    private readonly repo: RemindersRepository,
    private readonly facts: FollowUpFactsReader,
    private readonly refresh: FollowUpRefresh,
    private readonly clock: Clock,
  ) {}

  /**
   * The batch last looked at and the records looked at in it. A batch is committed whole before any
   * of its events reaches the processor, and a look reads the records as they are now: one look
   * per record covers every event of its batch (a quick log is an interaction, a reminder and the
   * date's edit, and was brought up to date in its own transaction besides).
   */
  private looked: { correlation: string; ids: Set<string> } | null = null;

  async handle(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    const named = this.recordsNamed(event);
    if (named === null) return;
    if (named !== 'all') {
      const batch = event.metadata.correlation_id;
      const fresh = this.notLookedAt(batch, named, event.position);
      if (fresh.length === 0) return;
      // A person's edit of a last-contact date stays their batch as they made it (the feed shows
      // their change); the values it moves are the system's batch of their own, caused by it.
      await this.refreshed(fresh, ctx, event.type === 'RecordUpdated' ? newId('cor') : undefined);
      // Noted once done: an event retried after a failure is looked at again.
      for (const id of fresh) this.looked!.ids.add(id);
      return;
    }
    this.looked = null;
    const settings = this.repo.settings().settings;
    const since = interactionWindowStart(localDate(event.recorded_at, settings), settings);
    const typed = await this.refresh.typedContactsOutOfStep(event.recorded_at);
    const ids = [...new Set([...this.facts.recordsWithFacts(since), ...typed])];
    for (let i = 0; i < ids.length; i += CHUNK) {
      if (i > 0) await nextTurn();
      await this.refreshed(ids.slice(i, i + CHUNK), ctx);
    }
  }

  /**
   * A look first, without a command (no transaction, no write): the command that logged or changed
   * a record brought it up to date in its own batch, and most records do not turn on a given day.
   */
  private async refreshed(
    ids: string[],
    ctx: ProcessorContext,
    correlation_id?: string,
  ): Promise<void> {
    if (this.refresh.decide(ids, this.clock.now()).appends.length === 0) return;
    await ctx.execute({ correlation_id }, (scope) => this.refresh.in(scope, ids));
  }

  /** Of `ids`, those neither looked at yet in this batch nor brought up to date by it since `position`. */
  private notLookedAt(correlation: string, ids: string[], position: number): string[] {
    if (this.looked?.correlation !== correlation) this.looked = { correlation, ids: new Set() };
    const seen = this.looked.ids;
    // A look after the commit sees the whole batch; an inline refresh, the batch up to its step.
    return ids.filter(
      (id) => !seen.has(id) && !this.refresh.broughtUpToDate(correlation, id, position),
    );
  }

  /** The records an event may have changed the values of; `all` for those with any facts. */
  private recordsNamed(event: RecordedEvent): string[] | 'all' | null {
    switch (event.type) {
      case 'InteractionLogged':
      case 'InteractionRetracted':
      case 'InteractionRestored': {
        const d = event.data as InteractionLoggedData;
        return d.contact_id ? [d.record_id, d.contact_id] : [d.record_id];
      }
      case 'FollowUpSettingsChanged':
        return 'all';
      // An archived record is left as it was; back, it is brought up to date.
      case 'RecordUnarchived':
        return [(event.data as RecordUnarchivedData).record_id];
      case 'RecordUpdated': {
        const d = event.data as RecordUpdatedData;
        const fields = d.changes.map((c) => c.field_id);
        return this.refresh.typedContactEdited(d.table_id, d.record_id, fields);
      }
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
}
