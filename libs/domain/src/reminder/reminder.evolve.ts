import { type RecordedEvent, type ReminderEvent } from '@crm/events';
import { type ReminderState } from './reminder.state';

/** Folds one event of a reminder's stream into the reminder (undefined before its creation). */
export function evolveReminder(
  state: ReminderState | undefined,
  recorded: RecordedEvent,
): ReminderState | undefined {
  const e = recorded as unknown as ReminderEvent;
  const version = recorded.stream_version;
  if (e.type === 'ReminderCreated') {
    const d = e.data;
    return {
      id: d.reminder_id,
      record_id: d.record_id,
      table_id: d.table_id,
      title: d.title,
      due_date: d.due_date,
      assignee_id: d.assignee_id,
      note: d.note,
      source: d.source,
      status: 'open',
      snoozed_until: null,
      created_by: recorded.metadata.actor_id,
      deleted: false,
      version,
    };
  }
  if (!state) return state;
  switch (e.type) {
    case 'ReminderChanged':
      return { ...state, ...e.data.to, version };
    case 'ReminderDone':
      return { ...state, status: 'done', snoozed_until: null, version };
    case 'ReminderSnoozed':
      return { ...state, status: 'snoozed', snoozed_until: e.data.until, version };
    case 'ReminderCancelled':
      return { ...state, status: 'cancelled', snoozed_until: null, version };
    case 'ReminderReopened':
      return { ...state, status: 'open', snoozed_until: null, version };
    case 'ReminderDeleted':
      return { ...state, deleted: true, version };
    case 'InteractionLogged':
    case 'InteractionRetracted':
    case 'InteractionRestored':
    case 'FollowUpSettingsChanged':
      return state;
  }
}
