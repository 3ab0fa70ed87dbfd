import type {
  FollowUpValues,
  Interaction,
  InteractionKind,
  LoggedCommunication,
  MyDay,
  Reminder,
  ReminderList,
} from '@crm/contracts';
import { del, get, patch, post } from '../../../app/http';
import { readerZone } from '../../views/view-engine';

export type { FollowUpValues, Interaction, InteractionKind, LoggedCommunication, MyDay, Reminder };

export interface QuickLog {
  record_id?: string;
  investor_name?: string;
  contact_id?: string;
  /** ISO 8601, the moment it happened (now when left out). */
  occurred_at?: string;
  kind: InteractionKind;
  summary: string;
  next_step?: { title: string; due_date: string };
}

/** A key per attempt: a retry of the same submission (a lost answer) is answered, not repeated. */
const newKey = () => `log-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** The reader's zone: "today" and "overdue" are days of their calendar, not the fund's. */
const tz = () => `tz=${encodeURIComponent(readerZone())}`;

export const remindersApi = {
  newKey,
  mine: (due?: 'overdue' | 'today' | 'week') =>
    get<ReminderList>(`/api/reminders?assignee=me&status=open${due ? `&due=${due}` : ''}&${tz()}`),
  ofRecord: (recordId: string) =>
    get<ReminderList>(`/api/reminders?record_id=${encodeURIComponent(recordId)}&limit=200&${tz()}`),
  create: (body: {
    record_id: string;
    title: string;
    due_date: string;
    note?: string;
    assignee_id?: string;
  }) => post<Reminder>('/api/reminders', body, { headers: { 'Idempotency-Key': newKey() } }),
  change: (
    id: string,
    body: Partial<Pick<Reminder, 'title' | 'due_date' | 'note' | 'assignee_id'>>,
  ) => patch<Reminder>(`/api/reminders/${id}`, body),
  done: (id: string) => post<Reminder>(`/api/reminders/${id}/done`),
  snooze: (id: string, until: string) =>
    post<Reminder>(`/api/reminders/${id}/snooze?${tz()}`, { until }),
  reopen: (id: string) => post<Reminder>(`/api/reminders/${id}/reopen`),
  cancel: (id: string) => post<Reminder>(`/api/reminders/${id}/cancel`),
  remove: (id: string) => del<{ id: string }>(`/api/reminders/${id}`),
  log: (body: QuickLog, key: string) =>
    post<LoggedCommunication>('/api/fundraising/log-communication', body, {
      headers: { 'Idempotency-Key': key },
    }),
  followUp: (recordId: string) =>
    get<FollowUpValues>(`/api/fundraising/records/${encodeURIComponent(recordId)}/follow-up`),
  interactions: (recordId: string) =>
    get<{ interactions: Interaction[] }>(
      `/api/fundraising/records/${encodeURIComponent(recordId)}/interactions`,
    ),
  myDay: () => get<MyDay>(`/api/my-day?${tz()}`),
  overdueCount: () => get<{ overdue: number }>(`/api/my-day/count?${tz()}`),
};

/** `YYYY-MM-DD` of the local day `days` from today: the forms propose a week ahead. */
export function dayFromToday(days: number, from = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
