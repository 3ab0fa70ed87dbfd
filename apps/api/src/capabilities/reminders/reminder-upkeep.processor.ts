import {
  addDays,
  decideCancelReminder,
  decideCreateReminder,
  DomainError,
  localDate,
} from '@crm/domain';
import type {
  AutomationRunRolledBackData,
  AutomationRunSucceededData,
  RecordArchivedData,
  RecordedEvent,
  ReminderCreatedData,
} from '@crm/events';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { newId } from '../../infrastructure/clock';
import type { Processor, ProcessorContext } from '../../infrastructure/processing/processor';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import type { ReminderCommands } from './reminder.commands';

function refusedAsNull<T>(decide: () => T): T | null {
  try {
    return decide();
  } catch (e) {
    if (e instanceof DomainError) return null;
    throw e;
  }
}

/** A reminder a rule's run planned (its effect `reminder`). */
interface PlannedReminder {
  title: string;
  due_in_days: number;
  assignee: string;
}

/**
 * Keeps reminders in step with what happens to records and rules, after commit, each command caused
 * by its event and keyed by it (a redelivery does nothing twice):
 * - archiving an investor or contact cancels its open reminders (the system's batch, so the
 *   record's history says why); bringing the record back reopens nothing by itself: its drawer lists
 *   what was cancelled and offers to reopen it;
 * - a rule's run that planned reminders (`create_reminder`) gets them, for the Owner or the member
 *   the rule names (none when nobody can take it), due that many days after the run's day;
 * - rolling a run back cancels the reminders it made that are still open or snoozed (as the admin
 *   who rolled it back, so the record's history says why); one done meanwhile stays done.
 */
export class ReminderUpkeepProcessor implements Processor {
  readonly name = 'reminder-upkeep';
  readonly types = ['RecordArchived', 'AutomationRunSucceeded', 'AutomationRunRolledBack'] as const;

  constructor(
    private readonly reminders: ReminderCommands,
    private readonly store: SqliteEventStore,
  ) {}

  handle(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    if (event.type === 'AutomationRunSucceeded') return this.runPlanned(event, ctx);
    if (event.type === 'AutomationRunRolledBack') return this.runRolledBack(event, ctx);
    return this.archived(event, ctx);
  }

  /** The reminders the run made (its effects' batch is the run's id), cancelled unless ended. */
  private async runRolledBack(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    const { run_id } = event.data as AutomationRunRolledBackData;
    const made = this.store
      .readCorrelation(run_id, 'ReminderCreated')
      .map((e) => (e.data as ReminderCreatedData).reminder_id);
    const open = () =>
      made.filter((id) => {
        const r = this.reminders.ctx.reminder(id);
        return !!r && !r.deleted && (r.status === 'open' || r.status === 'snoozed');
      });
    if (open().length === 0) return;
    const actor = {
      id: event.metadata.actor_id,
      name: event.metadata.actor_name ?? '',
      role: 'admin' as const,
    };
    await ctx.execute({ actor, source: 'restore' }, async (scope) => {
      for (const id of open())
        await scope.append(
          decideCancelReminder(
            { reminder_id: id, actor: SYSTEM_ACTOR, reason: 'run_rolled_back' },
            this.reminders.ctx,
          ),
        );
      return null;
    });
  }

  private async archived(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    const { record_id } = event.data as RecordArchivedData;
    if (this.reminders.repo.openOf(record_id).length === 0) return;
    await ctx.execute({ actor: SYSTEM_ACTOR, source: 'system' }, async (scope) => {
      // Read again inside the command: the record may have been brought back meanwhile.
      const record = this.reminders.base.record(record_id);
      if (!record?.archived) return 0;
      let cancelled = 0;
      for (const r of this.reminders.repo.openOf(record_id))
        if (
          await scope.append(
            decideCancelReminder(
              { reminder_id: r.id, actor: SYSTEM_ACTOR, reason: 'record_archived' },
              this.reminders.ctx,
            ),
          )
        )
          cancelled++;
      return cancelled;
    });
  }

  private async runPlanned(event: RecordedEvent, ctx: ProcessorContext): Promise<void> {
    const planned = (event.data as AutomationRunSucceededData).effects.filter(
      (e) => e.what === 'reminder',
    );
    if (planned.length === 0) return;
    const actor = {
      id: event.metadata.actor_id,
      name: event.metadata.actor_name ?? '',
      role: 'system' as const,
    };
    await ctx.execute({ actor, source: 'automation' }, async (scope) => {
      const today = localDate(event.recorded_at, this.reminders.repo.settings().settings);
      const made: string[] = [];
      for (const effect of planned) {
        const step = effect.to as PlannedReminder;
        const assignee = this.assigneeOf(effect.record_id, step.assignee);
        if (!assignee) continue;
        const id = newId('rem');
        const decision = refusedAsNull(() =>
          decideCreateReminder(
            {
              reminder_id: id,
              record_id: effect.record_id,
              title: step.title,
              due_date: addDays(today, step.due_in_days),
              assignee_id: assignee,
              source: 'automation',
              actor_id: actor.id,
            },
            this.reminders.ctx,
          ),
        );
        // A record gone to another state since the run: no reminder, and no retrying forever.
        if (!decision) continue;
        await scope.append(decision);
        made.push(id);
      }
      return made;
    });
  }

  /** The member the rule names, else the record's Owner, if they can sign in; else nobody. */
  private assigneeOf(recordId: string, asked: string): string | null {
    const target = this.reminders.ctx.target(recordId);
    if (!target || target.archived) return null;
    for (const id of [asked === 'owner' ? null : asked, target.owner_id]) {
      const member = id ? this.reminders.ctx.member(id) : undefined;
      if (member && !member.disabled) return member.id;
    }
    return null;
  }
}
