import { type ReminderFields, type ReminderSource, type ReminderStatus } from '@crm/events';

/** The tables reminders and interactions may be about (by role, whatever people rename them to). */
export const FOLLOW_UP_ROLES: readonly string[] = ['investors', 'contacts'];

/** A reminder as its deciders see it. */
export interface ReminderState extends ReminderFields {
  id: string;
  record_id: string;
  table_id: string;
  status: ReminderStatus;
  /** The date a snoozed reminder opens again; null when not snoozed. */
  snoozed_until: string | null;
  source: ReminderSource;
  created_by: string;
  deleted: boolean;
  /** The version of the reminder's stream. */
  version: number;
}

/** The record a reminder or an interaction is about, as the caller found it. */
export interface FollowUpTarget {
  record_id: string;
  table_id: string;
  /** The table's role (`investors`, `contacts`, …); reminders are for investors and contacts only. */
  table_role: string | null;
  archived: boolean;
  /** The record's Owner (first person of an investor's Owner field), if any. */
  owner_id: string | null;
}

/** A member of the team as a reminder's assignee is checked against. */
export interface Assignable {
  id: string;
  disabled: boolean;
}

/** What the reminder and interaction deciders read. */
export interface FollowUpContext {
  target(recordId: string): FollowUpTarget | undefined;
  member(userId: string): Assignable | undefined;
  reminder(reminderId: string): ReminderState | undefined;
}
