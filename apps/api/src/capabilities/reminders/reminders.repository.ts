import { DEFAULT_FOLLOW_UP_SETTINGS, type FollowUpSettings, type ReminderState } from '@crm/domain';
import type {
  InteractionLoggedData,
  ReminderCreatedData,
  ReminderSource,
  ReminderStatus,
} from '@crm/events';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

export interface ReminderRow {
  id: string;
  record_id: string;
  table_id: string;
  title: string;
  due_date: string;
  status: ReminderStatus;
  snoozed_until: string | null;
  due_on: string;
  assignee_id: string;
  note: string;
  source: ReminderSource;
  interaction_id: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
}

export interface InteractionRow {
  id: string;
  position: number;
  record_id: string;
  table_id: string;
  contact_id: string | null;
  kind: string;
  occurred_at: string;
  summary: string;
  actor_id: string;
  logged_at: string;
  /** When it was taken back (an undo, a restore); it then counts for nothing. */
  retracted_at: string | null;
  version: number;
}

export const toReminderState = (r: ReminderRow): ReminderState => ({
  id: r.id,
  record_id: r.record_id,
  table_id: r.table_id,
  title: r.title,
  due_date: r.due_date,
  assignee_id: r.assignee_id,
  note: r.note,
  source: r.source,
  status: r.status,
  snoozed_until: r.snoozed_until,
  created_by: r.created_by,
  deleted: r.deleted_at !== null,
  version: r.version,
});

/** The writes of the reminders' projector and the reads its deciders make; every SQL of the tables. */
export class RemindersRepository {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Sqlite) {}

  stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  reminder(id: string): ReminderRow | undefined {
    return this.stmt('SELECT * FROM reminders WHERE id = ?').get(id) as ReminderRow | undefined;
  }

  /** The reminders of a record that are still open (snoozed ones too), not deleted. */
  openOf(recordId: string): ReminderRow[] {
    return this.stmt(
      `SELECT * FROM reminders WHERE record_id = ? AND deleted_at IS NULL
       AND status IN ('open', 'snoozed') ORDER BY due_on, id`,
    ).all(recordId) as ReminderRow[];
  }

  /**
   * The oldest live record of the table whose field is exactly `name` (a quick log by name). A scan
   * inside SQLite, without loading a record: it runs only when a log names no record id.
   */
  liveRecordNamed(tableId: string, fieldId: string, name: string): string | undefined {
    const row = this.stmt(
      `SELECT id FROM fundraising_records WHERE table_id = ? AND archived = 0
       AND json_extract(values_json, ?) = ? ORDER BY seq LIMIT 1`,
    ).get(tableId, `$.${JSON.stringify(fieldId)}`, name) as { id: string } | undefined;
    return row?.id;
  }

  insertReminder(d: ReminderCreatedData, at: string, by: string, version: number): void {
    this.stmt(
      `INSERT OR IGNORE INTO reminders (id, record_id, table_id, title, due_date, status,
       snoozed_until, due_on, assignee_id, note, source, interaction_id, created_at, created_by,
       updated_at, version) VALUES (?, ?, ?, ?, ?, 'open', NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      d.reminder_id,
      d.record_id,
      d.table_id,
      d.title,
      d.due_date,
      d.due_date,
      d.assignee_id,
      d.note,
      d.source,
      d.interaction_id,
      at,
      by,
      at,
      version,
    );
  }

  /** Writes the reminder as its deciders left it (a change, a new status), if the event is newer. */
  updateReminder(s: ReminderState, at: string): void {
    this.stmt(
      `UPDATE reminders SET title = ?, due_date = ?, status = ?, snoozed_until = ?, due_on = ?,
       assignee_id = ?, note = ?, updated_at = ?, version = ?,
       deleted_at = CASE WHEN ? THEN coalesce(deleted_at, ?) ELSE NULL END
       WHERE id = ? AND version < ?`,
    ).run(
      s.title,
      s.due_date,
      s.status,
      s.snoozed_until,
      s.snoozed_until ?? s.due_date,
      s.assignee_id,
      s.note,
      at,
      s.version,
      s.deleted ? 1 : 0,
      at,
      s.id,
      s.version,
    );
  }

  insertInteraction(d: InteractionLoggedData, position: number, by: string, at: string): void {
    const inserted = this.stmt(
      `INSERT OR IGNORE INTO interactions (id, position, record_id, table_id, contact_id, kind,
       occurred_at, summary, actor_id, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      d.interaction_id,
      position,
      d.record_id,
      d.table_id,
      d.contact_id,
      d.kind,
      d.occurred_at,
      d.summary,
      by,
      at,
    );
    if (inserted.changes === 0) return;
    // The latest interaction by when it happened (a call logged late does not make it "recent").
    for (const recordId of new Set([d.record_id, d.contact_id ?? d.record_id]))
      this.stmt(
        `INSERT INTO follow_up_records (record_id, table_id, last_contacted_at, last_contacted_by,
         last_interaction_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (record_id) DO UPDATE SET last_contacted_at = excluded.last_contacted_at,
         last_contacted_by = excluded.last_contacted_by,
         last_interaction_id = excluded.last_interaction_id
         WHERE excluded.last_contacted_at >= follow_up_records.last_contacted_at`,
      ).run(
        recordId,
        recordId === d.record_id ? d.table_id : this.tableOf(recordId),
        d.occurred_at,
        by,
        d.interaction_id,
      );
  }

  /** When the record (or contact) was last contacted, by the interactions that count; null: never. */
  lastContactOf(recordId: string): string | null {
    const row = this.stmt(
      'SELECT last_contacted_at FROM follow_up_records WHERE record_id = ?',
    ).get(recordId) as { last_contacted_at: string } | undefined;
    return row?.last_contacted_at ?? null;
  }

  interaction(id: string): InteractionRow | undefined {
    return this.stmt('SELECT * FROM interactions WHERE id = ?').get(id) as
      InteractionRow | undefined;
  }

  /**
   * An interaction taken back (`at`) or counting again (null): the last contact of its record and
   * contact is worked out again from the interactions that count (by when each happened, the later
   * logged first on a tie, as `insertInteraction` keeps it); none left, the record has no logged
   * contact. Two index reads per record.
   */
  setRetracted(id: string, at: string | null, version: number): void {
    const row = this.interaction(id);
    if (!row || row.version >= version) return;
    this.stmt('UPDATE interactions SET retracted_at = ?, version = ? WHERE id = ?').run(
      at,
      version,
      id,
    );
    for (const recordId of new Set([row.record_id, row.contact_id ?? row.record_id]))
      this.recomputeLastContact(recordId, recordId === row.record_id ? row.table_id : null);
  }

  private recomputeLastContact(recordId: string, tableId: string | null): void {
    const latest = this.stmt(
      `SELECT id, occurred_at, actor_id FROM (
         SELECT id, occurred_at, actor_id, position FROM interactions
         WHERE record_id = ? AND retracted_at IS NULL
         UNION ALL SELECT id, occurred_at, actor_id, position FROM interactions
         WHERE contact_id = ? AND retracted_at IS NULL)
       ORDER BY occurred_at DESC, position DESC LIMIT 1`,
    ).get(recordId, recordId) as { id: string; occurred_at: string; actor_id: string } | undefined;
    if (!latest) {
      this.stmt('DELETE FROM follow_up_records WHERE record_id = ?').run(recordId);
      return;
    }
    this.stmt(
      `INSERT INTO follow_up_records (record_id, table_id, last_contacted_at, last_contacted_by,
       last_interaction_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (record_id) DO UPDATE SET last_contacted_at = excluded.last_contacted_at,
       last_contacted_by = excluded.last_contacted_by,
       last_interaction_id = excluded.last_interaction_id`,
    ).run(
      recordId,
      tableId ?? this.tableOf(recordId),
      latest.occurred_at,
      latest.actor_id,
      latest.id,
    );
  }

  private tableOf(recordId: string): string {
    const row = this.stmt('SELECT table_id FROM fundraising_records WHERE id = ?').get(recordId) as
      { table_id: string } | undefined;
    return row?.table_id ?? '';
  }

  /** One row read on each request that needs it: a cache would outlive a rolled-back change. */
  settings(): { settings: FollowUpSettings; version: number } {
    const row = this.stmt('SELECT * FROM follow_up_settings WHERE id = 1').get() as
      (FollowUpSettings & { version: number }) | undefined;
    return row
      ? {
          settings: {
            aging_days: row.aging_days,
            stale_days: row.stale_days,
            time_zone: row.time_zone,
          },
          version: row.version,
        }
      : { settings: DEFAULT_FOLLOW_UP_SETTINGS, version: 0 };
  }

  saveSettings(s: FollowUpSettings, version: number): void {
    this.stmt(
      `INSERT INTO follow_up_settings (id, aging_days, stale_days, time_zone, version)
       VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET aging_days = excluded.aging_days,
       stale_days = excluded.stale_days, time_zone = excluded.time_zone, version = excluded.version`,
    ).run(s.aging_days, s.stale_days, s.time_zone, version);
  }
}
