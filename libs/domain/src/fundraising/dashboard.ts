/**
 * The pipeline dashboard's numbers, from plain rows of the default base's tables (found by their
 * roles, never by names people can change). The live read models and a replay of the log at a past
 * moment both give these rows, so a dashboard now and one as of a date are computed by one function.
 */
import { readerDay } from '../filter/reader-time-zone';
import { zoneOffset } from '../formula/dates/time-zones';

export interface DashboardFund {
  id: string;
  name: string;
  target_size: number | null;
  currency: string | null;
}

/** Commitments of one fund, status and day (withdrawn ones too), added up. */
export interface CommitmentGroup {
  fund_id: string;
  status: string | null;
  /** The commitment date (its day is what counts), or null. */
  date: string | null;
  amount: number;
  count: number;
}

/** A record entering a pipeline stage (created in it or moved to it), in log order. */
export interface StageEntry {
  record_id: string;
  stage: string;
  at: string;
}

/**
 * Live records only, added up as far as the figures allow (so that a large base is read as a few
 * thousand groups): archived ones are left out by whoever reads them, and so are the commitments of
 * an archived investor or fund.
 */
export interface DashboardRows {
  funds: DashboardFund[];
  commitments: CommitmentGroup[];
  /** Per fund, the investors with a commitment to it that is not withdrawn. */
  lps: { fund_id: string; count: number }[];
  /** Live investors per stage (null: none), with their target commitments added up. */
  investors_by_stage: { stage: string | null; count: number; target_amount: number }[];
  /** Live investors per "Last contacted" day (YYYY-MM-DD, null: never). */
  contacted: { day: string | null; count: number }[];
  /** The stage field's choices in order, and the commitment status field's. */
  stages: string[];
  statuses: string[];
}

export interface DashboardOptions {
  /** The moment the numbers are for (now, or the as-of moment), ms since the epoch. */
  now: number;
  period: { from: string; to: string };
  fund_id?: string;
  /** The reader's IANA zone: days since a contact count from their today (UTC without one). */
  time_zone?: string | null;
}

/** A commitment in this status counts for nothing committed (it is listed apart). */
export const WITHDRAWN = 'Withdrawn';
/** "Last contacted" more than this many days ago is aging, then stale. */
export const STALENESS_DAYS = [30, 60] as const;

export interface FundFigures {
  fund_id: string;
  name: string;
  currency: string | null;
  target: number | null;
  /** By commitment status (withdrawn left out), in the fund's currency. */
  committed_by_status: { status: string; amount: number; count: number }[];
  committed: number;
  withdrawn: number;
  percent_of_target: number | null;
  /** Investors with at least one commitment to the fund that is not withdrawn. */
  lp_count: number;
}

export interface FunnelFigures {
  stages: { stage: string; count: number; target_amount: number }[];
  /** Of the records that entered `from` in the period, how many later reached `to` (or a stage past it). */
  conversion: { from: string; to: string; entered: number; reached: number; rate: number | null }[];
}

export interface CumulativeLine {
  fund_id: string;
  currency: string | null;
  points: { date: string; cumulative: number }[];
}

export interface StalenessBucket {
  key: 'recent' | 'aging' | 'stale' | 'never';
  label: string;
  count: number;
}

export interface DashboardFigures {
  funds: FundFigures[];
  funnel: FunnelFigures;
  commitments_over_time: CumulativeLine[];
  staleness: { thresholds_days: readonly number[]; buckets: StalenessBucket[] };
}

const counted = (c: CommitmentGroup) => c.status !== WITHDRAWN;

/** Per fund: target, committed by status, % of target, LPs. */
export function fundFigures(rows: DashboardRows, fundId?: string): FundFigures[] {
  const statuses = rows.statuses.filter((s) => s !== WITHDRAWN);
  const lps = new Map(rows.lps.map((l) => [l.fund_id, l.count]));
  return rows.funds
    .filter((f) => !fundId || f.id === fundId)
    .map((f) => {
      const by = new Map(statuses.map((s) => [s, { status: s, amount: 0, count: 0 }]));
      let withdrawn = 0;
      for (const g of rows.commitments) {
        if (g.fund_id !== f.id) continue;
        if (!counted(g)) {
          withdrawn += g.amount;
          continue;
        }
        const key = g.status ?? '';
        const slot = by.get(key) ?? { status: key, amount: 0, count: 0 };
        slot.amount += g.amount;
        slot.count += g.count;
        by.set(key, slot);
      }
      const committed_by_status = [...by.values()];
      const committed = committed_by_status.reduce((n, s) => n + s.amount, 0);
      return {
        fund_id: f.id,
        name: f.name,
        currency: f.currency,
        target: f.target_size,
        committed_by_status,
        committed,
        withdrawn,
        percent_of_target: f.target_size ? (committed / f.target_size) * 100 : null,
        lp_count: lps.get(f.id) ?? 0,
      };
    });
}

/**
 * Count and target amount per stage now; conversion from each stage to the next over the period:
 * records that entered stage A in the period and later (up to the moment) entered B or a stage after
 * it in the pipeline's order.
 */
export function funnelFigures(
  rows: DashboardRows,
  entries: readonly StageEntry[],
  period: { from: string; to: string },
): FunnelFigures {
  const stages = rows.stages.map((stage) => ({ stage, count: 0, target_amount: 0 }));
  const byStage = new Map(stages.map((s) => [s.stage, s]));
  for (const g of rows.investors_by_stage) {
    const s = g.stage === null ? undefined : byStage.get(g.stage);
    if (!s) continue;
    s.count += g.count;
    s.target_amount += g.target_amount;
  }
  const rank = new Map(rows.stages.map((s, i) => [s, i]));
  const pairs = Math.max(0, rows.stages.length - 1);
  const within = inPeriod(period);
  // Each record as a number, so that what is known of it sits in arrays rather than maps: a large
  // period holds an entry for each of 100,000 investors.
  const number = new Map<string, number>();
  const recordOf = new Int32Array(entries.length);
  for (let k = 0; k < entries.length; k++) {
    const id = entries[k].record_id;
    let n = number.get(id);
    if (n === undefined) number.set(id, (n = number.size));
    recordOf[k] = n;
  }
  // Two passes over the entries, whatever the number of stages. First, for each stage but the
  // last, each record's first entry into it in the period (its index + 1; 0: none).
  const first = Array.from({ length: pairs }, () => new Int32Array(number.size));
  const entered = new Array<number>(pairs).fill(0);
  for (let k = 0; k < entries.length; k++) {
    const i = rank.get(entries[k].stage);
    if (i === undefined || i >= pairs || first[i][recordOf[k]] !== 0 || !within(entries[k].at))
      continue;
    first[i][recordOf[k]] = k + 1;
    entered[i]++;
  }
  // Then each entry into a stage counts for every earlier stage the record had entered before it.
  const seen = Array.from({ length: pairs }, () => new Uint8Array(number.size));
  const reached = new Array<number>(pairs).fill(0);
  for (let k = 0; k < entries.length; k++) {
    const r = Math.min(rank.get(entries[k].stage) ?? 0, pairs);
    const n = recordOf[k];
    for (let i = 0; i < r; i++) {
      const f = first[i][n];
      if (f === 0 || seen[i][n] === 1 || entries[k].at < entries[f - 1].at) continue;
      seen[i][n] = 1;
      reached[i]++;
    }
  }
  const conversion = entered.map((count, i) => ({
    from: rows.stages[i],
    to: rows.stages[i + 1],
    entered: count,
    reached: reached[i],
    rate: count ? reached[i] / count : null,
  }));
  return { stages, conversion };
}

/** UTC instants as the log writes them (2026-09-30T18:00:00.000Z) compare as text, in order. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Whether a moment is in the period, from to to, both included: compared as text when both are in
 * the log's own form (no parsing of every entry of a large period), parsed otherwise.
 */
function inPeriod(period: { from: string; to: string }): (at: string) => boolean {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const asText = CANONICAL.test(period.from) && CANONICAL.test(period.to);
  return (at) => {
    if (asText && at.length === 24 && at.charCodeAt(23) === 90 && at.charCodeAt(10) === 84)
      return at >= period.from && at <= period.to;
    const t = Date.parse(at);
    return t >= from && t <= to;
  };
}

/** Per fund, the running total of commitments (withdrawn left out) by commitment date. */
export function cumulativeLines(rows: DashboardRows, fundId?: string): CumulativeLine[] {
  return rows.funds
    .filter((f) => !fundId || f.id === fundId)
    .map((f) => {
      const byDate = new Map<string, number>();
      for (const g of rows.commitments)
        if (g.fund_id === f.id && counted(g) && g.date) {
          const day = g.date.slice(0, 10);
          byDate.set(day, (byDate.get(day) ?? 0) + g.amount);
        }
      let total = 0;
      const points = [...byDate.keys()].sort().map((date) => {
        total += byDate.get(date)!;
        return { date, cumulative: total };
      });
      return { fund_id: f.id, currency: f.currency, points };
    });
}

/** Investors by days since "Last contacted": up to 30, 31–60, more than 60, never. */
export function stalenessBuckets(
  rows: DashboardRows,
  now: number,
  timeZone?: string | null,
): StalenessBucket[] {
  const [aging, stale] = STALENESS_DAYS;
  const buckets: StalenessBucket[] = [
    { key: 'recent', label: `${aging} days or less`, count: 0 },
    { key: 'aging', label: `${aging + 1}–${stale} days`, count: 0 },
    { key: 'stale', label: `more than ${stale} days`, count: 0 },
    { key: 'never', label: 'never contacted', count: 0 },
  ];
  const today = readerDay(now, timeZone);
  for (const g of rows.contacted) {
    const t = g.day ? Date.parse(g.day) : NaN;
    if (!Number.isFinite(t)) buckets[3].count += g.count;
    else {
      const days = today - Math.floor(t / 86_400_000);
      buckets[days <= aging ? 0 : days <= stale ? 1 : 2].count += g.count;
    }
  }
  return buckets;
}

export function dashboardFigures(
  rows: DashboardRows,
  entries: readonly StageEntry[],
  opts: DashboardOptions,
): DashboardFigures {
  return {
    funds: fundFigures(rows, opts.fund_id),
    funnel: funnelFigures(rows, entries, opts.period),
    commitments_over_time: cumulativeLines(rows, opts.fund_id),
    staleness: {
      thresholds_days: STALENESS_DAYS,
      buckets: stalenessBuckets(rows, opts.now, opts.time_zone),
    },
  };
}

/**
 * The reader's week holding `now` (Monday to the next Monday, in their zone; UTC without one):
 * its first and last-plus-one days (YYYY-MM-DD) and the instants they start at.
 */
export function readerWeek(
  now: number,
  timeZone?: string | null,
): { from: string; to: string; days: { from: string; to: string } } {
  const DAY = 86_400_000;
  const today = readerDay(now, timeZone);
  const monday = today - ((new Date(today * DAY).getUTCDay() + 6) % 7);
  // A local midnight as an instant: the zone's offset there (read once more where it moved).
  const start = (day: number) => {
    const guess = day * DAY - zoneOffset(timeZone, day * DAY) * 60_000;
    return new Date(day * DAY - zoneOffset(timeZone, guess) * 60_000).toISOString();
  };
  const key = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
  return {
    from: start(monday),
    to: start(monday + 7),
    days: { from: key(monday), to: key(monday + 7) },
  };
}
