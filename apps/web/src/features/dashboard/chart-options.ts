import type { DashboardResult } from '@crm/contracts';
import { dayText, tickText } from '../../ui/local-dates';

/** The app's colours (see ui/styles.css), shades of its accent for the pipeline's steps. */
export const COLOURS = {
  accent: '#2456d6',
  ok: '#1f8a4c',
  warn: '#b7791f',
  danger: '#c9302c',
  muted: '#697386',
  text: '#1d2330',
  border: '#e2e5ea',
};
const STATUS_COLOURS: Record<string, string> = {
  Soft: '#a9bff2',
  Hard: '#6f91e4',
  Signed: COLOURS.accent,
  Funded: COLOURS.ok,
};
const STAGE_COLOURS = ['#c6d5f7', '#93afef', '#5f88e3', COLOURS.accent, COLOURS.muted];
const STALENESS_COLOURS = [COLOURS.ok, COLOURS.warn, COLOURS.danger, COLOURS.muted];

/** An amount in a fund's currency (its Currency field), whole units; plain when it has none. */
export function money(amount: number, currency: string | null, compact = false): string {
  const opts: Intl.NumberFormatOptions = {
    maximumFractionDigits: compact ? 1 : 0,
    ...(compact ? { notation: 'compact' } : {}),
  };
  try {
    if (currency)
      return new Intl.NumberFormat(undefined, { ...opts, style: 'currency', currency }).format(
        amount,
      );
  } catch {
    // Not an ISO currency code: the number alone.
  }
  return new Intl.NumberFormat(undefined, opts).format(amount);
}

const pct = (n: number) => `${n.toFixed(n >= 10 ? 0 : 1)}%`;
const base = {
  textStyle: { fontFamily: 'inherit', color: COLOURS.text },
  grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
  animation: false,
};
const categoryLabels = { fontSize: 11, width: 96, overflow: 'truncate' as const };

type Funds = DashboardResult['funds'];

/** Committed against target, per fund, stacked by commitment status (as % of the fund's target, amounts in its currency). */
export function fundsOption(funds: Funds) {
  const statuses = [...new Set(funds.flatMap((f) => f.committed_by_status.map((s) => s.status)))];
  return {
    ...base,
    legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; dataIndex: number }) => {
        const f = funds[p.dataIndex];
        const s = f.committed_by_status.find((x) => x.status === p.seriesName);
        return `${f.name}<br/>${p.seriesName}: ${money(s?.amount ?? 0, f.currency)} (${s?.count ?? 0})`;
      },
    },
    xAxis: {
      type: 'value',
      max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10),
      axisLabel: { formatter: '{value}%', fontSize: 11, hideOverlap: true },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: funds.map((f) => f.name),
      axisLabel: categoryLabels,
    },
    series: statuses.map((status, si) => ({
      name: status,
      type: 'bar',
      stack: 'committed',
      barMaxWidth: 36,
      itemStyle: { color: STATUS_COLOURS[status] ?? COLOURS.muted },
      label:
        si === statuses.length - 1
          ? {
              show: true,
              position: 'right',
              fontSize: 11,
              formatter: (p: { dataIndex: number }) => fundLabel(funds[p.dataIndex]),
            }
          : undefined,
      data: funds.map((f) => {
        const amount = f.committed_by_status.find((x) => x.status === status)?.amount ?? 0;
        return f.target ? (amount / f.target) * 100 : 0;
      }),
    })),
  };
}

function fundLabel(f: Funds[number]): string {
  const share = f.percent_of_target === null ? '' : ` · ${pct(f.percent_of_target)}`;
  return `${money(f.committed, f.currency, true)} of ${f.target === null ? '—' : money(f.target, f.currency, true)}${share} · ${f.lp_count} LP${f.lp_count === 1 ? '' : 's'}`;
}

/** Investors per pipeline stage, with the stage's total target commitment. */
export function funnelOption(funnel: DashboardResult['funnel']) {
  return {
    ...base,
    // Room on the right for the last bar's label.
    grid: { ...base.grid, right: 72 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11, hideOverlap: true } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: funnel.stages.map((s) => s.stage),
      axisLabel: categoryLabels,
    },
    series: [
      {
        name: 'Investors',
        type: 'bar',
        barMaxWidth: 28,
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          formatter: (p: { dataIndex: number }) => {
            const s = funnel.stages[p.dataIndex];
            return `${s.count} · ${money(s.target_amount, null, true)}`;
          },
        },
        data: funnel.stages.map((s, i) => ({
          value: s.count,
          itemStyle: { color: STAGE_COLOURS[i] ?? COLOURS.accent },
        })),
      },
    ],
  };
}

/** Each fund's commitments added up by commitment date, as % of its target (amounts in the tooltip). */
export function timelineOption(lines: DashboardResult['commitments_over_time'], funds: Funds) {
  const target = new Map(funds.map((f) => [f.fund_id, f.target]));
  return {
    ...base,
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesIndex: number; dataIndex: number }) => {
        const l = lines[p.seriesIndex];
        const point = l.points[p.dataIndex];
        return `${l.name}<br/>${dayText(point.date)}: ${money(point.cumulative, l.currency)}`;
      },
    },
    xAxis: {
      type: 'time',
      minInterval: 86_400_000,
      axisLabel: { fontSize: 11, hideOverlap: true, formatter: (ms: number) => tickText(ms) },
    },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%', fontSize: 11 } },
    series: lines.map((l, i) => ({
      name: l.name,
      type: 'line',
      step: 'end',
      symbolSize: 7,
      color: [COLOURS.accent, COLOURS.ok, COLOURS.warn, COLOURS.danger, COLOURS.muted][i % 5],
      data: l.points.map((p) => {
        const t = target.get(l.fund_id);
        return [p.date, t ? Math.round((p.cumulative / t) * 1000) / 10 : 0];
      }),
    })),
  };
}

/** Investors by days since they were last contacted. */
export function stalenessOption(buckets: DashboardResult['staleness']['buckets']) {
  return {
    ...base,
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: buckets.map((b) => b.label),
      axisLabel: { fontSize: 11, interval: 0, width: 70, overflow: 'break', lineHeight: 14 },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
    series: [
      {
        name: 'Investors',
        type: 'bar',
        barMaxWidth: 40,
        label: { show: true, position: 'top', fontSize: 11 },
        data: buckets.map((b, i) => ({
          value: b.count,
          itemStyle: { color: STALENESS_COLOURS[i] },
        })),
      },
    ],
  };
}

/** Reminders due this week per owner: one bar each, most first. */
export function remindersOption(owners: DashboardResult['reminders_due']['by_owner']) {
  return {
    ...base,
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'category',
      data: owners.map((o) => o.owner_name),
      axisLabel: { fontSize: 11, interval: 0, width: 80, overflow: 'truncate' },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
    series: [
      {
        name: 'Reminders',
        type: 'bar',
        barMaxWidth: 40,
        label: { show: true, position: 'top', fontSize: 11 },
        itemStyle: { color: COLOURS.accent },
        data: owners.map((o) => o.count),
      },
    ],
  };
}
