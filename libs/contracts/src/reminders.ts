/** Reminders, logged interactions, a record's follow-up values and "My day". */

export type ReminderStatus = 'open' | 'done' | 'snoozed' | 'cancelled';
export type InteractionKind = 'call' | 'meeting' | 'email' | 'note';

/** A reminder with its status as of today (a snoozed one whose date has come is `open`). */
export interface Reminder {
  id: string;
  record_id: string;
  table_id: string;
  record_name: string | null;
  title: string;
  /** `YYYY-MM-DD`. */
  due_date: string;
  status: ReminderStatus;
  assignee_id: string;
  note: string;
  source: string;
  snoozed_until: string | null;
  interaction_id: string | null;
  created_at: string;
  created_by: string;
}

export interface ReminderList {
  reminders: Reminder[];
  /** Pass as `before` for the next page; null on the last. */
  next_before: string | null;
}

export interface Interaction {
  id: string;
  position: number;
  record_id: string;
  table_id: string;
  contact_id: string | null;
  kind: InteractionKind;
  occurred_at: string;
  summary: string;
  actor_id: string;
  logged_at: string;
}

export interface LoggedCommunication {
  interaction_id: string;
  record_id: string;
  /** `found`: the record named (or the investor of that exact name); `created`: a new investor. */
  investor: 'found' | 'created';
  reminder_id: string | null;
}

/** Derived, read-only: worked out at read from the log's dates and the clock. */
export interface FollowUpValues {
  last_contacted: string | null;
  last_contacted_by: string | null;
  staleness: '' | 'aging' | 'stale';
  reminder_status: 'overdue' | 'due_soon' | 'open' | 'none';
  interactions_90_days: number;
}

export interface FollowUpSettings {
  aging_days: number;
  stale_days: number;
  time_zone: string;
}

export interface StaleInvestor {
  record_id: string;
  table_id: string;
  name: string | null;
  last_contacted_at: string;
  last_contacted_by: string;
}

export interface MyDay {
  /** The fund's calendar date today. */
  today: string;
  overdue: Reminder[];
  due_today: Reminder[];
  overdue_count: number;
  stale_investors: StaleInvestor[];
  recent_interactions: (Interaction & { record_name: string | null })[];
}
