import { decideLogInteraction, fieldOf, invalid, TABLE_ROLES } from '@crm/domain';
import type { LoggedCommunication } from '@crm/contracts';
import type { InteractionLoggedData } from '@crm/events';
import type { FundraisingCommands } from '../fundraising/index';
import type { CommandMeta, CommandScope } from '../../infrastructure/commands/command-executor';
import { newId } from '../../infrastructure/clock';
import { touchLastContacted } from './last-contacted';
import { clientIdempotency, type ReminderCommands } from './reminder.commands';

const NAME_MAX = 1000;

/**
 * `POST /api/fundraising/log-communication`: an interaction with an investor or contact, named by
 * id or, for an investor, by its exact name (made when there is none, as a quick log from a phone
 * does); its next step becomes a reminder. One transaction and one batch (one correlation id).
 */
export class InteractionCommands {
  constructor(
    private readonly reminders: ReminderCommands,
    private readonly fundraising: FundraisingCommands,
  ) {}

  log(
    input: Record<string, unknown>,
    meta: CommandMeta,
    key?: string,
  ): Promise<LoggedCommunication> {
    return this.reminders.executor.execute(
      meta,
      (scope) => this.logged(scope, input),
      clientIdempotency(meta, key, input),
    );
  }

  private async logged(
    scope: CommandScope,
    input: Record<string, unknown>,
  ): Promise<LoggedCommunication> {
    const { record_id, investor } = await this.recordOf(scope, input);
    const interactionId = newId('int');
    const reminderId = newId('rem');
    const decision = decideLogInteraction(
      {
        ...input,
        record_id,
        interaction_id: interactionId,
        reminder_id: reminderId,
        kind: input.kind,
        summary: input.summary,
        actor_id: scope.meta.actor.id,
        now: scope.at,
      },
      this.reminders.ctx,
    );
    await scope.append(decision);
    const logged = decision.appends[0].events[0].data as InteractionLoggedData;
    await touchLastContacted(
      this.reminders,
      this.fundraising,
      scope,
      logged.record_id,
      logged.occurred_at,
    );
    // Last contacted by, Staleness, Reminder status, Interactions (90 days): in the same batch.
    const touched = logged.contact_id ? [logged.record_id, logged.contact_id] : [logged.record_id];
    await this.reminders.followUp?.in(scope, touched);
    const withReminder = decision.appends.some((a) => a.stream_id.startsWith('reminder-'));
    return {
      interaction_id: interactionId,
      record_id: logged.record_id,
      investor,
      reminder_id: withReminder ? reminderId : null,
    };
  }

  /** The record named, or the live investor of exactly that name, or a new one of that name. */
  private async recordOf(
    scope: CommandScope,
    input: Record<string, unknown>,
  ): Promise<{ record_id: unknown; investor: 'found' | 'created' }> {
    if (input.record_id !== undefined) {
      if (input.investor_name !== undefined)
        throw invalid('send record_id or investor_name, not both', { field: 'investor_name' });
      return { record_id: input.record_id, investor: 'found' };
    }
    const name = typeof input.investor_name === 'string' ? input.investor_name.trim() : '';
    if (!name || [...name].length > NAME_MAX)
      throw invalid(
        `record_id or investor_name (1 to ${NAME_MAX} characters) is required`,
        { field: 'record_id' },
        'missing_value',
      );
    const table = this.reminders.base.tableByRole(TABLE_ROLES.investors);
    const nameField = table && fieldOf(table, table.primary_field_id);
    if (!table || !nameField)
      throw invalid('there is no investors table', { field: 'investor_name' }, 'wrong_table');
    const found = this.reminders.repo.liveRecordNamed(table.id, nameField.id, name);
    if (found) return { record_id: found, investor: 'found' };
    const recordId = newId('rec');
    await this.fundraising.applyChanges(
      [{ op: 'create', table_id: table.id, record_id: recordId, values: { [nameField.id]: name } }],
      scope.meta,
    );
    return { record_id: recordId, investor: 'created' };
  }
}
