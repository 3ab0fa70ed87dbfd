import {
  type Decision,
  decideCancelReminder,
  decideChangeFollowUpSettings,
  decideChangeReminder,
  decideCompleteReminder,
  decideCreateReminder,
  decideDeleteReminder,
  decideReopenReminder,
  decideSnoozeReminder,
  fieldByRole,
  type FollowUpContext,
  type FollowUpSettings,
  type FollowUpTarget,
  localDate,
  type ReminderActor,
} from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import type { Clock } from '../../infrastructure/clock';
import type {
  CommandExecutor,
  CommandMeta,
  CommandScope,
  Idempotency,
} from '../../infrastructure/commands/command-executor';
import type { FundraisingRepository } from '../fundraising/index';
import type { FollowUpRefresh } from './follow-up-refresh';
import { type RemindersRepository, toReminderState } from './reminders.repository';

/** What a status route may do to a reminder. */
export type ReminderAction = 'done' | 'cancel' | 'reopen' | 'delete';

/** A client's retry key, kept per person (as the grid's are). */
export function clientIdempotency(
  meta: CommandMeta,
  key: string | undefined,
  request: unknown,
): Idempotency | undefined {
  if (key === undefined) return undefined;
  return { key: `${meta.actor.id}/${key}`, request, label: key };
}

/** Command handlers of the reminders' streams: load, decide, append. */
export class ReminderCommands {
  constructor(
    readonly executor: CommandExecutor,
    readonly repo: RemindersRepository,
    readonly base: FundraisingRepository,
    private readonly clock: Clock,
    /** Brings the record's follow-up fields up to date in the command's own batch. */
    readonly followUp?: FollowUpRefresh,
  ) {}

  /** What the reminder deciders read, as it is now (inside the command's transaction). */
  readonly ctx: FollowUpContext = {
    target: (id) => this.target(id),
    member: (id) => this.base.member(id),
    reminder: (id) => {
      const row = this.repo.reminder(id);
      return row && toReminderState(row);
    },
  };

  /** The calendar date now in `zone` (a reader's), else in the fund's zone. */
  today(
    settings: FollowUpSettings = this.repo.settings().settings,
    zone: string | null = null,
  ): string {
    return localDate(this.clock.now(), zone ? { ...settings, time_zone: zone } : settings);
  }

  private target(recordId: string): FollowUpTarget | undefined {
    const record = this.base.record(recordId);
    if (!record) return undefined;
    const table = this.base.table(record.table_id);
    const ownerField = table && fieldByRole(table, 'investor.owner');
    const owner = ownerField ? record.values[ownerField.id] : null;
    return {
      record_id: record.id,
      table_id: record.table_id,
      table_role: table?.role ?? null,
      archived: record.archived,
      owner_id: Array.isArray(owner) && typeof owner[0] === 'string' ? owner[0] : null,
    };
  }

  async create(input: Record<string, unknown>, meta: CommandMeta, key?: string): Promise<string> {
    return this.executor.execute(
      meta,
      async (scope) => {
        const id = newId('rem');
        await this.appendWithFollowUp(
          scope,
          decideCreateReminder(
            { ...input, reminder_id: id, source: 'manual', actor_id: meta.actor.id } as Parameters<
              typeof decideCreateReminder
            >[0],
            this.ctx,
          ),
        );
        return id;
      },
      clientIdempotency(meta, key, input),
    );
  }

  change(id: string, input: Record<string, unknown>, meta: CommandMeta): Promise<void> {
    return this.decide(meta, () =>
      decideChangeReminder({ reminder_id: id, actor: actorOf(meta), input }, this.ctx),
    );
  }

  /**
   * A snooze ends after the snoozer's today (`zone`, the fund's without one): "Tomorrow" from New
   * York at 21:00 on the 6th is the 7th, though it is already the 7th in Zurich.
   */
  snooze(id: string, until: unknown, meta: CommandMeta, zone: string | null = null): Promise<void> {
    return this.decide(meta, () =>
      decideSnoozeReminder(
        { reminder_id: id, actor: actorOf(meta), until, today: this.today(undefined, zone) },
        this.ctx,
      ),
    );
  }

  act(id: string, action: ReminderAction, meta: CommandMeta): Promise<void> {
    const cmd = { reminder_id: id, actor: actorOf(meta) };
    return this.decide(meta, () => {
      switch (action) {
        case 'done':
          return decideCompleteReminder(cmd, this.ctx);
        case 'cancel':
          return decideCancelReminder({ ...cmd, reason: 'person' }, this.ctx);
        case 'reopen':
          return decideReopenReminder(cmd, this.ctx);
        case 'delete':
          return decideDeleteReminder(cmd, this.ctx);
      }
    });
  }

  changeSettings(input: Record<string, unknown>, meta: CommandMeta): Promise<void> {
    return this.decide(meta, () => decideChangeFollowUpSettings(input, this.repo.settings()));
  }

  private async decide(meta: CommandMeta, decide: () => Decision): Promise<void> {
    await this.executor.execute(meta, async (scope) => {
      await this.appendWithFollowUp(scope, decide());
    });
  }

  /** The decision, then the follow-up fields of the records it names, in the same batch. */
  async appendWithFollowUp(scope: CommandScope, decision: Decision): Promise<void> {
    if (!(await scope.append(decision)) || !this.followUp) return;
    const ids = decision.appends.flatMap((a) =>
      a.events.flatMap((e) => {
        const d = e.data as { record_id?: string; contact_id?: string | null };
        return [d.record_id, d.contact_id].filter((id): id is string => typeof id === 'string');
      }),
    );
    if (ids.length) await this.followUp.in(scope, [...new Set(ids)]);
  }
}

export const actorOf = (meta: CommandMeta): ReminderActor => ({
  id: meta.actor.id,
  role: meta.actor.role,
});
