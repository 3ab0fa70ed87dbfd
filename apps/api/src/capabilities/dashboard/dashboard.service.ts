import type { DashboardResult } from '@crm/contracts';
import {
  dashboardFigures,
  invalid,
  readerTimeZone,
  readerWeek,
  type StageEntry,
  TABLE_ROLES,
  type TableState,
} from '@crm/domain';
import { type Clock } from '../../infrastructure/clock';
import { type Sqlite } from '../../infrastructure/database/database';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type Actor } from '../../infrastructure/request-context/actor';
import { runInWorker, workerEntry } from '../../infrastructure/workers/worker-thread';
import { type FundraisingRepository } from '../fundraising';
import { type AsOfService, type History, readTimestamp } from '../history/index';
import {
  DashboardRowsRepository,
  type StageField,
  stageFieldOf,
} from './dashboard-rows.repository';
import { LiveRows } from './live-rows';
import { withRecordsBehind } from './records-behind';
import { RemindersDueRepository } from './reminders-due.repository';
import { type RowsAt, rowsAt } from './rows-at';

const DAY = 86_400_000;

export interface DashboardQuery {
  fund_id?: string;
  from?: string;
  to?: string;
  as_of?: string;
  /** The reader's IANA zone: their week of reminders and their days since a contact. */
  tz?: string;
}

/**
 * The dashboard's numbers: now from the relational read models, or as of a past moment from the
 * log (a replay in a worker thread). Both go through the same pure computation.
 */
export class DashboardService {
  private readonly rows: DashboardRowsRepository;
  private readonly reminders: RemindersDueRepository;
  /** The live rows read last, each part read again only when events since have changed it. */
  private readonly live: LiveRows;
  /** The stage entries the live path read last, extended by the log after them on the next read. */
  private entries: { stage: string; since: string; upTo: number; list: StageEntry[] } | null = null;

  constructor(
    private readonly db: Sqlite,
    private readonly repo: FundraisingRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly asOf: AsOfService,
    private readonly history: History,
  ) {
    this.rows = new DashboardRowsRepository(db);
    this.live = new LiveRows(this.rows);
    this.reminders = new RemindersDueRepository(db);
  }

  async dashboard(q: DashboardQuery, viewer: Actor): Promise<DashboardResult> {
    const timeZone = readerTimeZone(q.tz);
    const live = q.as_of === undefined;
    const moment = live
      ? { at: this.clock.now(), now: Date.parse(this.clock.now()), position: -1 }
      : this.asOf.moment(q.as_of, 'as_of');
    const to = q.to === undefined ? moment.now : readTimestamp(q.to, 'to');
    const from = q.from === undefined ? to - 90 * DAY : readTimestamp(q.from, 'from');
    if (from > to)
      throw invalid('from must not be after to', { field: 'from', given: q.from }, 'from_after_to');
    const period = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const read = live
      ? this.uow.read(() => this.readLive(period.from))
      : await this.readAt(moment.position, period.from);
    const position = read.position;
    if (q.fund_id !== undefined && !read.rows.funds.some((f) => f.id === q.fund_id))
      throw invalid(`no fund ${q.fund_id}`, { field: 'fund_id', given: q.fund_id }, 'unknown_fund');
    const figures = dashboardFigures(read.rows, read.entries, {
      now: moment.now,
      period,
      fund_id: q.fund_id,
      time_zone: timeZone,
    });
    const week = readerWeek(moment.now, timeZone);
    const names = new Map(read.rows.funds.map((f) => [f.id, f.name]));
    const behind = withRecordsBehind(
      {
        ...figures,
        commitments_over_time: figures.commitments_over_time.map((l) => ({
          ...l,
          name: names.get(l.fund_id) ?? '',
        })),
      },
      this.repo.tables(),
    );
    return {
      as_of: { at: moment.at, position, live },
      period,
      tables: tableIds(this.repo.tables()),
      ...behind,
      // Reminders are read as they are now: at a past moment only when nothing was written since.
      reminders_due: this.uow.read(() =>
        live || position === this.rows.head()
          ? this.remindersDue(week)
          : { available: false, week: { from: week.from, to: week.to }, by_owner: [] },
      ),
      activity: this.history.feed.page({ before: position + 1, limit: 20 }, viewer).entries,
    };
  }

  /** Reminders due in the week per owner, most first, named as the team names them. */
  private remindersDue(week: ReturnType<typeof readerWeek>): DashboardResult['reminders_due'] {
    const team = new Map(this.repo.teamMembers().map((m) => [m.id, m.name]));
    const by_owner = this.reminders
      .due(week.days.from, week.days.to)
      .map((o) => ({
        owner_id: o.assignee_id,
        owner_name: team.get(o.assignee_id) ?? o.assignee_id,
        count: o.count,
        reminders: o.reminders.map(({ assignee_id: _, ...r }) => ({
          ...r,
          record_name: this.history.values.recordName(r.record_id),
        })),
      }))
      .sort((a, b) => b.count - a.count || a.owner_name.localeCompare(b.owner_name));
    return { available: true, week: { from: week.from, to: week.to }, by_owner };
  }

  private readLive(since: string): RowsAt & { position: number } {
    const position = this.rows.head();
    const tables = this.repo.tables();
    const stage = stageFieldOf(tables);
    return {
      position,
      tables,
      rows: this.live.read(tables, position),
      entries: stage ? this.liveEntries(stage, position, since) : [],
    };
  }

  /**
   * The stage entries since a moment, up to the head: the ones read before (when they cover the
   * period) and those the log has gained since, so that a dashboard read again scans only the new
   * events, not the whole period's.
   */
  private liveEntries(stage: StageField, position: number, since: string): StageEntry[] {
    const key = `${stage.table_id}:${stage.field_id}`;
    const held = this.entries;
    const fresh =
      held && held.stage === key && held.since <= since && held.upTo <= position
        ? [
            ...held.list.filter((e) => e.at >= since),
            ...this.rows.stageEntries(stage, position, since, held.upTo),
          ]
        : this.rows.stageEntries(stage, position, since);
    this.entries = { stage: key, since, upTo: position, list: fresh };
    return fresh;
  }

  /** In a worker thread on its own connection; inline for an in-memory base. */
  private async readAt(position: number, since: string): Promise<RowsAt & { position: number }> {
    const read = this.db.memory
      ? rowsAt(this.db, position, since)
      : await runInWorker<RowsAt>(workerEntry(__dirname, 'dashboard.worker'), {
          file: this.db.name,
          position,
          since,
        });
    return { ...read, position };
  }
}

function tableIds(tables: TableState[]): DashboardResult['tables'] {
  const id = (role: string) => tables.find((t) => t.role === role)?.id ?? null;
  return {
    investors: id(TABLE_ROLES.investors),
    commitments: id(TABLE_ROLES.commitments),
    funds: id(TABLE_ROLES.funds),
  };
}
