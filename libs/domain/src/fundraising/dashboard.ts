/**
 * The pipeline dashboard's numbers, from plain rows of the default base's tables (found by their
 * roles, never by names people can change). The live read models and a replay of the log at a past
 * moment both give these rows, so a dashboard now and one as of a date are computed by one function.
 */

export interface DashboardFund {
  id: string;
  name: string;
  target_size: number | null;
  currency: string | null;
}

export interface DashboardCommitment {
  id: string;
  investor_id: string | null;
  fund_id: string | null;
  amount: number | null;
  date: string | null;
  status: string | null;
}

export interface DashboardInvestor {
  id: string;
  stage: string | null;
  target_commitment: number | null;
  last_contacted: string | null;
}

/** A record entering a pipeline stage (created in it or moved to it), in log order. */
export interface StageEntry {
  record_id: string;
  stage: string;
  at: string;
}

/** Live records only: archived ones are left out by whoever reads the rows. */
export interface DashboardRows {
  funds: DashboardFund[];
  commitments: DashboardCommitment[];
  investors: DashboardInvestor[];
  /** The stage field's choices in order, and the commitment status field's. */
  stages: string[];
  statuses: string[];
}

export interface DashboardOptions {
  /** The moment the numbers are for (now, or the as-of moment), ms since the epoch. */
  now: number;
  period: { from: string; to: string };
  fund_id?: string;
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

const counted = (c: DashboardCommitment) => c.status !== WITHDRAWN;

/** Per fund: target, committed by status, % of target, LPs. Commitments of archived investors are not in `rows`. */
export function fundFigures(rows: DashboardRows, fundId?: string): FundFigures[] {
  const statuses = rows.statuses.filter((s) => s !== WITHDRAWN);
  return rows.funds
    .filter((f) => !fundId || f.id === fundId)
    .map((f) => {
      const mine = rows.commitments.filter((c) => c.fund_id === f.id);
      const by = new Map(statuses.map((s) => [s, { status: s, amount: 0, count: 0 }]));
      let withdrawn = 0;
      const lps = new Set<string>();
      for (const c of mine) {
        if (!counted(c)) {
          withdrawn += c.amount ?? 0;
          continue;
        }
        const key = c.status ?? '';
        const slot = by.get(key) ?? { status: key, amount: 0, count: 0 };
        slot.amount += c.amount ?? 0;
        slot.count += 1;
        by.set(key, slot);
        if (c.investor_id) lps.add(c.investor_id);
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
        lp_count: lps.size,
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
  for (const i of rows.investors) {
    const s = i.stage === null ? undefined : byStage.get(i.stage);
    if (!s) continue;
    s.count += 1;
    s.target_amount += i.target_commitment ?? 0;
  }
  const rank = new Map(rows.stages.map((s, i) => [s, i]));
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const conversion = rows.stages.slice(0, -1).map((a, i) => {
    const b = rows.stages[i + 1];
    const entered = new Map<string, string>();
    for (const e of entries) {
      const t = Date.parse(e.at);
      if (e.stage === a && t >= from && t <= to && !entered.has(e.record_id))
        entered.set(e.record_id, e.at);
    }
    const reached = new Set<string>();
    for (const e of entries) {
      const since = entered.get(e.record_id);
      if (since !== undefined && e.at >= since && (rank.get(e.stage) ?? -1) >= i + 1)
        reached.add(e.record_id);
    }
    return {
      from: a,
      to: b,
      entered: entered.size,
      reached: reached.size,
      rate: entered.size ? reached.size / entered.size : null,
    };
  });
  return { stages, conversion };
}

/** Per fund, the running total of commitments (withdrawn left out) by commitment date. */
export function cumulativeLines(rows: DashboardRows, fundId?: string): CumulativeLine[] {
  return rows.funds
    .filter((f) => !fundId || f.id === fundId)
    .map((f) => {
      const byDate = new Map<string, number>();
      for (const c of rows.commitments)
        if (c.fund_id === f.id && counted(c) && c.date)
          byDate.set(c.date.slice(0, 10), (byDate.get(c.date.slice(0, 10)) ?? 0) + (c.amount ?? 0));
      let total = 0;
      const points = [...byDate.keys()].sort().map((date) => {
        total += byDate.get(date)!;
        return { date, cumulative: total };
      });
      return { fund_id: f.id, currency: f.currency, points };
    });
}

/** Investors by days since "Last contacted": up to 30, 31–60, more than 60, never. */
export function stalenessBuckets(rows: DashboardRows, now: number): StalenessBucket[] {
  const [aging, stale] = STALENESS_DAYS;
  const buckets: StalenessBucket[] = [
    { key: 'recent', label: `${aging} days or less`, count: 0 },
    { key: 'aging', label: `${aging + 1}–${stale} days`, count: 0 },
    { key: 'stale', label: `more than ${stale} days`, count: 0 },
    { key: 'never', label: 'never contacted', count: 0 },
  ];
  const today = Math.floor(now / 86_400_000);
  for (const i of rows.investors) {
    const t = i.last_contacted ? Date.parse(i.last_contacted.slice(0, 10)) : NaN;
    if (!Number.isFinite(t)) buckets[3].count += 1;
    else {
      const days = today - Math.floor(t / 86_400_000);
      buckets[days <= aging ? 0 : days <= stale ? 1 : 2].count += 1;
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
    staleness: { thresholds_days: STALENESS_DAYS, buckets: stalenessBuckets(rows, opts.now) },
  };
}
