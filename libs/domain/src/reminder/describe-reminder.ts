import { type RecordedEvent, type ReminderEvent } from '@crm/events';

const quoted = (text: string) => `"${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`;

/** A sentence for a reminder or interaction event in history and the feed; undefined for others. */
export function describeReminderEvent(recorded: RecordedEvent): string | undefined {
  const e = recorded as unknown as ReminderEvent;
  switch (e.type) {
    case 'ReminderCreated':
      return `added reminder ${quoted(e.data.title)} due ${e.data.due_date}`;
    case 'ReminderChanged': {
      const what = Object.keys(e.data.to).map((k) => k.replace('_id', '').replace('_', ' '));
      return `changed the reminder's ${what.join(', ')}`;
    }
    case 'ReminderDone':
      return 'marked a reminder done';
    case 'ReminderSnoozed':
      return `snoozed a reminder until ${e.data.until}`;
    case 'ReminderCancelled':
      return e.data.reason === 'record_archived'
        ? 'cancelled a reminder (its record was archived)'
        : e.data.reason === 'run_rolled_back'
          ? "cancelled a reminder (the rule's run that made it was rolled back)"
          : e.data.reason === 'undone'
            ? 'cancelled a reminder (the change that made it was undone)'
            : e.data.reason === 'restored'
              ? 'cancelled a reminder (restored to a moment before it)'
              : 'cancelled a reminder';
    case 'ReminderReopened':
      return 'reopened a reminder';
    case 'ReminderDeleted':
      return 'deleted a reminder';
    case 'InteractionLogged':
      return `logged a ${e.data.kind}: ${quoted(e.data.summary)}`;
    case 'InteractionRetracted':
      return e.data.reason === 'undone'
        ? 'took back a logged interaction (undone)'
        : 'took back a logged interaction (restored to a moment before it)';
    case 'InteractionRestored':
      return 'brought back a logged interaction';
    case 'FollowUpSettingsChanged':
      return `changed follow-up settings (aging after ${e.data.to.aging_days} days, stale after ${e.data.to.stale_days})`;
    default:
      return undefined;
  }
}
