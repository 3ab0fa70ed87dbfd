import { evolveReminder } from '@crm/domain';
import { type RecordedEvent, type ReminderEvent } from '@crm/events';
import { type Projector } from '../../infrastructure/projections/projector';
import { type RemindersRepository, toReminderState } from './reminders.repository';

/**
 * Reminders as they are now, every interaction, each record's last contact and the follow-up
 * settings, inline with the append. A reminder's row is written only by an event newer than its
 * version and interactions are keyed, so applying an event twice is harmless.
 */
export class RemindersProjector implements Projector {
  readonly name = 'reminders';
  readonly tables = ['reminders', 'interactions', 'follow_up_records', 'follow_up_settings'];

  constructor(private readonly repo: RemindersRepository) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const e of events) this.project(e);
  }

  private project(recorded: RecordedEvent): void {
    const e = recorded as unknown as ReminderEvent;
    const at = recorded.recorded_at;
    switch (e.type) {
      case 'ReminderCreated':
        return this.repo.insertReminder(
          e.data,
          at,
          recorded.metadata.actor_id,
          recorded.stream_version,
        );
      case 'ReminderChanged':
      case 'ReminderDone':
      case 'ReminderSnoozed':
      case 'ReminderCancelled':
      case 'ReminderReopened':
      case 'ReminderDeleted': {
        const row = this.repo.reminder(e.data.reminder_id);
        const next = row && evolveReminder(toReminderState(row), recorded);
        if (next) this.repo.updateReminder(next, at);
        return;
      }
      case 'InteractionLogged':
        return this.repo.insertInteraction(
          e.data,
          recorded.position,
          recorded.metadata.actor_id,
          at,
        );
      case 'InteractionRetracted':
        return this.repo.setRetracted(e.data.interaction_id, at, recorded.stream_version);
      case 'InteractionRestored':
        return this.repo.setRetracted(e.data.interaction_id, null, recorded.stream_version);
      case 'FollowUpSettingsChanged':
        return this.repo.saveSettings(e.data.to, recorded.stream_version);
      default:
        return;
    }
  }

  async reset(): Promise<void> {
    for (const t of this.tables) this.repo.db.prepare(`DELETE FROM ${t}`).run();
  }
}
