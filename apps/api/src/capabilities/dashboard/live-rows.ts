import {
  choicesOf,
  type DashboardPart,
  dashboardPartsTouched,
  DASHBOARD_PARTS,
  type DashboardRows,
  TABLE_ROLES,
  type TableState,
} from '@crm/domain';
import { type DashboardRowsRepository } from './dashboard-rows.repository';

/**
 * Past this many events since the last read, every part is read again: reading the events would
 * cost more than the queries.
 */
const READ_EVENTS_UP_TO = 2_000;

interface Held {
  position: number;
  /** The event at `position`: a log that is not the one read before (a restored file) reads all. */
  event_id: string | null;
  funds: Pick<DashboardRows, 'funds' | 'commitments' | 'lps'>;
  stages: DashboardRows['investors_by_stage'];
  contacted: DashboardRows['contacted'];
}

/**
 * The dashboard's live rows, each part read again only when an event since the last read can have
 * changed it (see dashboardPartsTouched): after an investor's stage is edited, the 300,000
 * commitments are not added up again, only the investors by stage. Read inside the read
 * transaction that reads the head, so that the parts and the position agree.
 */
export class LiveRows {
  private held: Held | null = null;

  constructor(private readonly rows: DashboardRowsRepository) {}

  read(tables: TableState[], position: number): DashboardRows {
    const stale = this.stale(tables, position);
    const held = this.held;
    const part = <T>(name: DashboardPart, kept: T | undefined, read: () => T): T =>
      kept !== undefined && !stale.has(name) ? kept : read();
    const next: Held = {
      position,
      event_id: this.rows.eventIdAt(position),
      funds: part('funds', held?.funds, () => this.rows.fundsPart()),
      stages: part('stages', held?.stages, () => this.rows.stagesPart()),
      contacted: part('contacted', held?.contacted, () => this.rows.contactedPart()),
    };
    this.held = next;
    const role = (r: string) => tables.find((t) => t.role === r);
    const field = (t: TableState | undefined, r: string) => t?.fields.find((f) => f.role === r);
    return {
      ...next.funds,
      investors_by_stage: next.stages,
      contacted: next.contacted,
      stages: choicesOf(field(role(TABLE_ROLES.investors), 'investor.stage')),
      statuses: choicesOf(field(role(TABLE_ROLES.commitments), 'commitment.status')),
    };
  }

  /** The parts to read again: all of them without a read before that this log follows on from. */
  private stale(tables: TableState[], position: number): ReadonlySet<DashboardPart> {
    const held = this.held;
    if (
      !held ||
      position < held.position ||
      position - held.position > READ_EVENTS_UP_TO ||
      this.rows.eventIdAt(held.position) !== held.event_id
    )
      return new Set(DASHBOARD_PARTS);
    if (position === held.position) return new Set();
    return dashboardPartsTouched(this.rows.changesBetween(held.position, position), tables);
  }
}
