/**
 * Reminders and logged interactions. Each reminder and each interaction lives on a stream of its
 * own, named after the record it is about (`reminder-<record_id>-<reminder_id>`), so that a record's
 * timeline is one range of stream ids and neither ever moves the record's own version (a grid edit
 * racing a quick log never conflicts). Written at schema version 1.
 */

export type ReminderStatus = 'open' | 'done' | 'snoozed' | 'cancelled';
/** Who made the reminder: a person, a logged interaction's next step, or an automation's run. */
export type ReminderSource = 'manual' | 'interaction' | 'automation';
export type InteractionKind = 'call' | 'meeting' | 'email' | 'note';

export const INTERACTION_KINDS: readonly InteractionKind[] = ['call', 'meeting', 'email', 'note'];

export interface ReminderCreatedData {
  reminder_id: string;
  record_id: string;
  table_id: string;
  title: string;
  /** A calendar date, `YYYY-MM-DD`. */
  due_date: string;
  assignee_id: string;
  note: string;
  source: ReminderSource;
  /** The interaction whose next step it is (source `interaction`). */
  interaction_id: string | null;
}

/** What a reminder's fields can be changed to. */
export interface ReminderFields {
  title: string;
  due_date: string;
  assignee_id: string;
  note: string;
}

export interface ReminderChangedData {
  reminder_id: string;
  record_id: string;
  from: Partial<ReminderFields>;
  to: Partial<ReminderFields>;
}

/** The reminder's status before the event, so that each can be undone by its inverse. */
export interface ReminderStatusData {
  reminder_id: string;
  record_id: string;
  from: ReminderStatus;
}

export interface ReminderSnoozedData extends ReminderStatusData {
  /** The date it opens again. */
  until: string;
}

export interface ReminderCancelledData extends ReminderStatusData {
  /**
   * `record_archived` when the system cancelled it because its record was archived;
   * `run_rolled_back` when the rule's run that made it was rolled back; `undone` when the batch
   * that made it (a quick log's next step) was undone, `restored` when a restore went back to a
   * moment before it.
   */
  reason: 'person' | 'record_archived' | 'run_rolled_back' | 'undone' | 'restored';
}

export interface InteractionLoggedData {
  interaction_id: string;
  record_id: string;
  table_id: string;
  contact_id: string | null;
  kind: InteractionKind;
  /** When it happened (UTC, ISO 8601), not when it was logged. */
  occurred_at: string;
  summary: string;
}

/** Why a logged interaction was taken back: its batch was undone, or a restore went back before it. */
export type RetractionReason = 'undone' | 'restored';

/**
 * A logged interaction taken back (the stored event stays): it no longer counts for "Last
 * contacted", "Last contacted by", "Interactions (90 days)" or staleness, and leaves the lists.
 */
export interface InteractionRetractedData {
  interaction_id: string;
  record_id: string;
  table_id: string;
  contact_id: string | null;
  reason: RetractionReason;
}

/** A retracted interaction counting again (a redo of the undo, or a restore to a moment it counted). */
export interface InteractionRestoredData {
  interaction_id: string;
  record_id: string;
  table_id: string;
  contact_id: string | null;
}

/** When an investor or contact turns aging and stale, and the zone whose calendar days count. */
export interface FollowUpSettingsData {
  aging_days: number;
  stale_days: number;
  time_zone: string;
}

export interface FollowUpSettingsChangedData {
  from: FollowUpSettingsData;
  to: FollowUpSettingsData;
}

export interface ReminderEventMap {
  ReminderCreated: ReminderCreatedData;
  ReminderChanged: ReminderChangedData;
  ReminderDone: ReminderStatusData;
  ReminderSnoozed: ReminderSnoozedData;
  ReminderCancelled: ReminderCancelledData;
  /** Brought back to open after done, cancelled or snoozed. */
  ReminderReopened: ReminderStatusData;
  /** Soft delete: kept in the log and the record's history, gone from lists. */
  ReminderDeleted: ReminderStatusData;
  InteractionLogged: InteractionLoggedData;
  InteractionRetracted: InteractionRetractedData;
  InteractionRestored: InteractionRestoredData;
  FollowUpSettingsChanged: FollowUpSettingsChangedData;
}

export type ReminderEventType = keyof ReminderEventMap;

export type ReminderEvent = {
  [K in ReminderEventType]: { type: K; data: ReminderEventMap[K] };
}[ReminderEventType];

export const REMINDER_EVENT_TYPES: readonly ReminderEventType[] = [
  'ReminderCreated',
  'ReminderChanged',
  'ReminderDone',
  'ReminderSnoozed',
  'ReminderCancelled',
  'ReminderReopened',
  'ReminderDeleted',
  'InteractionLogged',
  'InteractionRetracted',
  'InteractionRestored',
  'FollowUpSettingsChanged',
];

export const followUpStreams = {
  reminder: (recordId: string, reminderId: string) => `reminder-${recordId}-${reminderId}`,
  interaction: (recordId: string, interactionId: string) =>
    `interaction-${recordId}-${interactionId}`,
  settings: 'follow-up-settings',
  /** The prefixes of a record's reminder and interaction streams: its timeline is these ranges. */
  prefixesOf: (recordId: string) => [`reminder-${recordId}-`, `interaction-${recordId}-`],
};
