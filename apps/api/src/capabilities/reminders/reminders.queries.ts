import {
  addDays,
  effectiveStatus,
  fieldByRole,
  type FollowUpSettings,
  interactionWindowStart,
  localDate,
  reminderStatusOn,
  stalenessCutoffs,
  stalenessOn,
  TABLE_ROLES,
  typedLastContact,
} from '@crm/domain';
import type {
  FollowUpValues,
  Interaction,
  Reminder,
  ReminderStatus,
  StaleInvestor,
} from '@crm/contracts';

export type { FollowUpValues, StaleInvestor };
import type { FundraisingRepository } from '../fundraising/index';
import type { Clock } from '../../infrastructure/clock';
import type { ReminderRow, RemindersRepository } from './reminders.repository';

export type ReminderView = Reminder;

export interface ReminderFilter {
  assignee_id?: string;
  status?: ReminderStatus;
  due?: 'overdue' | 'today' | 'week';
  record_id?: string;
  limit: number;
  /**
   * The reader's zone (`tz`): "overdue", "today" and "this week" are days of their calendar. None
   * is the fund's zone (the follow-up settings').
   */
  time_zone?: string | null;
  /** The cursor a previous page answered as `next_before`. */
  before?: { due_on: string; id: string };
}

/** "Open" on `today`: open, or snoozed until today or before. */
const OPEN_SQL = `(status = 'open' OR (status = 'snoozed' AND snoozed_until <= @today))`;

function whereOf(f: ReminderFilter): string[] {
  const where = ['deleted_at IS NULL'];
  if (f.assignee_id !== undefined) where.push('assignee_id = @assignee');
  if (f.record_id !== undefined) where.push('record_id = @record');
  if (f.status === 'open' || f.due !== undefined) where.push(OPEN_SQL);
  else if (f.status === 'snoozed') where.push(`status = 'snoozed' AND snoozed_until > @today`);
  else if (f.status !== undefined) where.push('status = @status');
  if (f.due === 'overdue') where.push('due_on < @today');
  if (f.due === 'today') where.push('due_on = @today');
  if (f.due === 'week') where.push('due_on >= @today AND due_on <= @week');
  if (f.before) where.push('(due_on > @after_due OR (due_on = @after_due AND id > @after_id))');
  return where;
}

/** What an interaction answers with (a retracted one is in no list: only its record's history). */
const INTERACTION_COLUMNS =
  'id, position, record_id, table_id, contact_id, kind, occurred_at, summary, actor_id, logged_at';

/** The reads of reminders, interactions and the follow-up values; "today" comes from the clock. */
export class RemindersQueries {
  constructor(
    private readonly repo: RemindersRepository,
    private readonly base: FundraisingRepository,
    private readonly clock: Clock,
  ) {}

  settings(): FollowUpSettings {
    return this.repo.settings().settings;
  }

  /**
   * Today's date in `zone` (a reader's, as a request names it), else in the fund's zone. Due dates
   * are calendar dates, not moments: a reminder due on the 7th is due on the reader's 7th, so a
   * reader in New York at 21:00 on the 6th does not see it as due while it is the 7th in Zurich.
   */
  today(settings = this.settings(), zone: string | null = null): string {
    return localDate(this.clock.now(), zone ? { ...settings, time_zone: zone } : settings);
  }

  /** Reminders, most pressing first (by the date each is due), a page at a time. */
  list(f: ReminderFilter): { reminders: ReminderView[]; next_before: string | null } {
    const today = this.today(undefined, f.time_zone);
    const sql = `SELECT * FROM reminders WHERE ${whereOf(f).join(' AND ')}
      ORDER BY due_on, id LIMIT @limit`;
    const params = {
      today,
      week: addDays(today, 6),
      assignee: f.assignee_id,
      record: f.record_id,
      status: f.status,
      after_due: f.before?.due_on,
      after_id: f.before?.id,
      limit: f.limit + 1,
    };
    // Only the parameters the statement names: better-sqlite3 refuses an undefined one.
    const bound = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    const rows = this.repo.stmt(sql).all(bound) as ReminderRow[];
    const page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    return {
      reminders: this.views(page, today),
      next_before: rows.length > f.limit ? `${last.due_on}~${last.id}` : null,
    };
  }

  one(id: string, zone: string | null = null): ReminderView | undefined {
    const row = this.repo.reminder(id);
    return row && !row.deleted_at ? this.views([row], this.today(undefined, zone))[0] : undefined;
  }

  views(rows: ReminderRow[], today: string): ReminderView[] {
    const names = this.namesOf(rows.map((r) => r.record_id));
    return rows.map((r) => ({
      id: r.id,
      record_id: r.record_id,
      table_id: r.table_id,
      record_name: names.get(r.record_id) ?? null,
      title: r.title,
      due_date: r.due_date,
      status: effectiveStatus(r, today) as ReminderStatus,
      assignee_id: r.assignee_id,
      note: r.note,
      source: r.source,
      snoozed_until: r.snoozed_until,
      interaction_id: r.interaction_id,
      created_at: r.created_at,
      created_by: r.created_by,
    }));
  }

  /** The primary field's value of each record (investors' and contacts' names), read in SQLite. */
  namesOf(ids: readonly string[]): Map<string, string | null> {
    const out = new Map<string, string | null>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return out;
    const paths = this.base
      .tables()
      .map((t) => [t.id, `$.${JSON.stringify(t.primary_field_id)}`] as const);
    const rows = this.repo
      .stmt(
        `SELECT r.id, json_extract(r.values_json, p.value ->> '$[1]') AS name
         FROM json_each(@ids) AS i JOIN fundraising_records r ON r.id = i.value
         JOIN json_each(@paths) AS p ON p.value ->> '$[0]' = r.table_id`,
      )
      .all({ ids: JSON.stringify(unique), paths: JSON.stringify(paths) }) as {
      id: string;
      name: unknown;
    }[];
    for (const r of rows) out.set(r.id, r.name === null ? null : String(r.name));
    return out;
  }

  /** A record's interactions, newest first. */
  interactionsOf(recordId: string, limit: number): Interaction[] {
    return this.repo
      .stmt(
        `SELECT ${INTERACTION_COLUMNS} FROM interactions
         WHERE (record_id = ? OR contact_id = ?) AND retracted_at IS NULL
         ORDER BY occurred_at DESC, position DESC LIMIT ?`,
      )
      .all(recordId, recordId, limit) as Interaction[];
  }

  /** The derived follow-up values of one investor or contact, as of now. */
  followUpOf(recordId: string): FollowUpValues {
    const settings = this.settings();
    const today = this.today(settings);
    const last = this.repo
      .stmt(
        'SELECT last_contacted_at, last_contacted_by FROM follow_up_records WHERE record_id = ?',
      )
      .get(recordId) as { last_contacted_at: string; last_contacted_by: string } | undefined;
    // The same window and the same last contact as the record's Interactions (90 days) and
    // Staleness fields: calendar days of the fund's zone, and a typed "Last contacted" date counting
    // as a contact on that day (the drawer and the grid's columns never disagree).
    const since = interactionWindowStart(today, settings);
    const { n } = this.repo
      .stmt(
        `SELECT COUNT(*) AS n FROM interactions
         WHERE (record_id = ? OR contact_id = ?) AND occurred_at >= ? AND retracted_at IS NULL`,
      )
      .get(recordId, recordId, since) as { n: number };
    const due = this.repo
      .openOf(recordId)
      .map((r) => (effectiveStatus(r, today) === 'open' ? r.due_on : null));
    const loggedOn = last ? localDate(last.last_contacted_at, settings) : null;
    const typedOn = this.typedContactOf(recordId, settings);
    const lastOn =
      loggedOn === null || (typedOn !== null && typedOn > loggedOn) ? typedOn : loggedOn;
    return {
      last_contacted: last?.last_contacted_at ?? null,
      last_contacted_by: last?.last_contacted_by ?? null,
      staleness: stalenessOn(lastOn, today, settings),
      reminder_status: reminderStatusOn(
        due.filter((d): d is string => d !== null),
        today,
      ),
      interactions_90_days: n,
    };
  }

  private typedContactOf(recordId: string, settings: FollowUpSettings): string | null {
    const record = this.base.record(recordId);
    const table = record && this.base.table(record.table_id);
    return record && table ? typedLastContact(record, table, settings) : null;
  }

  /**
   * Investors owned by `userId` last contacted before the stale cutoff, longest ago first. The
   * cutoff stays on the fund's today whatever the reader's zone: the thresholds are the fund's days,
   * and the record's Staleness field (in the grid, the drawer, a view's filter) is worked out on
   * the fund's calendar, so the list never names an investor its own Staleness does not call stale.
   */
  staleInvestorsOf(userId: string, limit: number): StaleInvestor[] {
    const table = this.base.tableByRole(TABLE_ROLES.investors);
    const owner = table && fieldByRole(table, 'investor.owner');
    if (!table || !owner) return [];
    const { stale_before } = stalenessCutoffs(this.today(), this.settings());
    return this.repo
      .stmt(
        `SELECT f.record_id, f.table_id, f.last_contacted_at, f.last_contacted_by,
         json_extract(r.values_json, @name) AS name
         FROM follow_up_records f JOIN fundraising_records r ON r.id = f.record_id
         WHERE f.table_id = @table AND f.last_contacted_at < @cutoff AND r.archived = 0
         AND EXISTS (SELECT 1 FROM json_each(r.values_json, @owner) WHERE value = @user)
         ORDER BY f.last_contacted_at LIMIT @limit`,
      )
      .all({
        name: `$.${JSON.stringify(table.primary_field_id)}`,
        owner: `$.${JSON.stringify(owner.id)}`,
        table: table.id,
        cutoff: stale_before,
        user: userId,
        limit,
      }) as StaleInvestor[];
  }

  /** The team's latest interactions, newest first, with the record's name. */
  recentInteractions(limit: number): (Interaction & { record_name: string | null })[] {
    const rows = this.repo
      .stmt(
        `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE retracted_at IS NULL
         ORDER BY occurred_at DESC, position DESC LIMIT ?`,
      )
      .all(limit) as Interaction[];
    const names = this.namesOf(rows.map((r) => r.record_id));
    return rows.map((r) => ({ ...r, record_name: names.get(r.record_id) ?? null }));
  }

  /** How many of `userId`'s reminders are overdue today in `zone` (the count in the nav). */
  overdueCount(userId: string, zone: string | null = null): number {
    const today = this.today(undefined, zone);
    return (
      this.repo
        .stmt(
          `SELECT COUNT(*) AS n FROM reminders WHERE assignee_id = @user AND deleted_at IS NULL
           AND status IN ('open', 'snoozed') AND ${OPEN_SQL} AND due_on < @today`,
        )
        .get({ user: userId, today }) as { n: number }
    ).n;
  }
}
