import {
  type NewEvent,
  type RecordedEvent,
  type ReminderEvent,
  type ReminderFields,
  type ReminderStatus,
  type RetractionReason,
} from '@crm/events';
import { type ReminderState } from '../reminder.state';

/** Where an undo takes a reminder's status: `gone` for one the undone events made. */
export type WantedStatus = 'gone' | 'open' | 'done' | 'cancelled';

type FieldName = keyof ReminderFields;

/** A reminder as it was before the oldest of the events being taken back. */
export interface ReminderWant {
  status: WantedStatus | null;
  /** Each field to put back (`from`), put back only while it still holds what the newest change set (`to`). */
  fields: Partial<Record<FieldName, { from: string; to: string }>>;
  /** The oldest event folded in (named by a skip). */
  at: RecordedEvent;
}

/**
 * Folds one more (older) event into what a reminder goes back to. A snooze's end is not kept by the
 * events that follow it, so a reminder that was snoozed before goes back to open.
 */
export function foldReminder(
  want: ReminderWant | undefined,
  recorded: RecordedEvent,
): ReminderWant {
  const next: ReminderWant = { status: null, fields: {}, ...want, at: recorded };
  const e = recorded as unknown as ReminderEvent;
  const back = (from: ReminderStatus): WantedStatus => (from === 'snoozed' ? 'open' : from);
  switch (e.type) {
    case 'ReminderCreated':
      return { ...next, status: 'gone' };
    case 'ReminderDone':
    case 'ReminderSnoozed':
    case 'ReminderCancelled':
    case 'ReminderReopened':
      return { ...next, status: back(e.data.from) };
    case 'ReminderChanged': {
      const fields = { ...next.fields };
      for (const key of Object.keys(e.data.from) as FieldName[])
        fields[key] = { from: e.data.from[key]!, to: fields[key]?.to ?? e.data.to[key]! };
      return { ...next, fields };
    }
    default:
      return next;
  }
}

/** The events that take the reminder where it is wanted, or why it cannot be. */
export function reminderBack(
  r: ReminderState,
  want: ReminderWant,
  reason: RetractionReason,
): { events: NewEvent[]; skipped: string[] } {
  const events: NewEvent[] = [];
  const skipped: string[] = [];
  const ids = { reminder_id: r.id, record_id: r.record_id };
  const from: Partial<ReminderFields> = {};
  const to: Partial<ReminderFields> = {};
  for (const [key, f] of Object.entries(want.fields) as [
    FieldName,
    { from: string; to: string },
  ][]) {
    if (r[key] === f.from) continue;
    if (r[key] !== f.to) {
      skipped.push(`its ${key.replace('_id', '').replace('_', ' ')} was changed again since`);
      continue;
    }
    from[key] = r[key];
    to[key] = f.from;
  }
  if (Object.keys(to).length) events.push({ type: 'ReminderChanged', data: { ...ids, from, to } });
  const status = statusBack(r.status, want.status);
  if (status === 'stays') skipped.push(`it was marked ${r.status} since; it stays so`);
  else if (status) {
    const data = { ...ids, from: r.status };
    events.push(
      status === 'ReminderCancelled'
        ? { type: status, data: { ...data, reason } }
        : { type: status, data },
    );
  }
  return { events, skipped };
}

type StatusEvent = 'ReminderCancelled' | 'ReminderReopened' | 'ReminderDone';

/** The one event from `now` to the status wanted; null when there; `stays` when it cannot go. */
function statusBack(
  now: ReminderStatus,
  wanted: WantedStatus | null,
): StatusEvent | 'stays' | null {
  switch (wanted) {
    case null:
      return null;
    case 'gone':
    case 'cancelled':
      if (now === 'cancelled') return null;
      return now === 'done' ? 'stays' : 'ReminderCancelled';
    case 'open':
      return now === 'open' ? null : 'ReminderReopened';
    case 'done':
      if (now === 'done') return null;
      return now === 'cancelled' ? 'stays' : 'ReminderDone';
  }
}
