import type { CumulativeLine, FundFigures, FunnelFigures, StalenessBucket } from '@crm/domain';
import type { ActivityEntry } from './history';
import type { FilterGroup } from '@crm/domain';

/**
 * The records behind a chart element: a table and the filter that picks them, which the web app
 * opens as a filtered view of the grid.
 */
export interface RecordsBehind {
  table_id: string;
  filters: FilterGroup;
}

/** A reminder due this week, with the record it is on. */
export interface DueReminder {
  id: string;
  title: string;
  due_on: string;
  record_id: string;
  table_id: string;
  record_name: string | null;
}

/**
 * GET /api/dashboard?fund_id=&from=&to=&as_of=: the numbers the dashboard draws.
 *
 * - `fund_id` narrows the funds (and their lines) to one; an unknown one is a 400 naming it.
 * - `from`, `to`: the period of the funnel's conversion (default: the 90 days up to the moment).
 * - `as_of`: the numbers as they were at that moment, from the log (default: now).
 *
 * Amounts are in each fund's own currency (`currency`, the fund's Currency field): they are never
 * added across funds. Withdrawn commitments count for nothing committed (`withdrawn` lists their
 * sum); archived investors, funds and commitments are left out, and so are the commitments of an
 * archived investor. Staleness reads "Last contacted": 30 days or less, 31–60, more than 60, never.
 */
export interface DashboardResult {
  /** The moment the numbers are for, and the last log position at or before it. */
  as_of: { at: string; position: number; live: boolean };
  period: { from: string; to: string };
  /** The table ids the `behind` filters name. */
  tables: { investors: string | null; commitments: string | null; funds: string | null };
  funds: (FundFigures & {
    behind: RecordsBehind | null;
    by_status_behind: (RecordsBehind | null)[];
  })[];
  funnel: FunnelFigures & { behind: (RecordsBehind | null)[] };
  commitments_over_time: (CumulativeLine & { name: string; behind: RecordsBehind | null })[];
  staleness: {
    thresholds_days: readonly number[];
    buckets: (StalenessBucket & { behind: RecordsBehind | null })[];
  };
  /**
   * Open reminders (snoozed ones by the day they wake) due in the week of the moment (Monday to
   * Sunday, UTC days), per person they are assigned to, most first; each with the first 20 of them
   * the records they are on, which the chart opens. Reminders are read as they are now: a dashboard
   * as of a moment the log has moved on from has `available: false` and no owners.
   */
  reminders_due: {
    available: boolean;
    week: { from: string; to: string };
    by_owner: {
      owner_id: string;
      owner_name: string;
      count: number;
      reminders: DueReminder[];
    }[];
  };
  /** The last 20 entries of the activity feed up to the moment. */
  activity: ActivityEntry[];
}
