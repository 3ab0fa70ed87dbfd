import { type FilterCondition, type FilterGroup, TABLE_ROLES, type TableState } from '@crm/domain';
import type { DashboardResult, RecordsBehind } from '@crm/contracts';
import { WITHDRAWN } from '@crm/domain';

type Figures = Omit<DashboardResult, 'as_of' | 'period' | 'tables' | 'reminders_due' | 'activity'>;
type Plain = {
  funds: Omit<DashboardResult['funds'][number], 'behind' | 'by_status_behind'>[];
  funnel: Omit<DashboardResult['funnel'], 'behind'>;
  commitments_over_time: Omit<DashboardResult['commitments_over_time'][number], 'behind'>[];
  staleness: {
    thresholds_days: readonly number[];
    buckets: Omit<DashboardResult['staleness']['buckets'][number], 'behind'>[];
  };
};

const and = (...conditions: FilterCondition[]): FilterGroup => ({ conjunction: 'and', conditions });

/**
 * Each chart element with the filter that picks the records behind it, over the present schema's
 * tables and fields (found by role), which the web app opens as a filtered view of the grid.
 */
export function withRecordsBehind(figures: Plain, tables: TableState[]): Figures {
  const table = (role: string) => tables.find((t) => t.role === role);
  const field = (t: TableState | undefined, role: string) =>
    t?.fields.find((f) => f.role === role)?.id;
  const commitments = table(TABLE_ROLES.commitments);
  const investors = table(TABLE_ROLES.investors);
  const [cFund, cStatus] = [
    field(commitments, 'commitment.fund'),
    field(commitments, 'commitment.status'),
  ];
  const [iStage, iContacted] = [
    field(investors, 'investor.stage'),
    field(investors, 'investor.last_contacted'),
  ];
  const on = (
    t: TableState | undefined,
    ok: unknown,
    filters: () => FilterGroup,
  ): RecordsBehind | null => (t && ok ? { table_id: t.id, filters: filters() } : null);
  const ofFund = (fundId: string, status?: string) =>
    on(commitments, cFund && cStatus, () =>
      and(
        { field_id: cFund!, operator: 'has_any_of', value: [fundId] },
        status === undefined
          ? { field_id: cStatus!, operator: 'is_not', value: WITHDRAWN }
          : { field_id: cStatus!, operator: 'is', value: status },
      ),
    );
  const contacted = (key: string): FilterCondition[] => {
    const f = iContacted!;
    if (key === 'never') return [{ field_id: f, operator: 'is_empty', value: null }];
    if (key === 'recent') return [{ field_id: f, operator: 'less_than_days_ago', value: 31 }];
    if (key === 'aging')
      return [
        { field_id: f, operator: 'more_than_days_ago', value: 30 },
        { field_id: f, operator: 'less_than_days_ago', value: 61 },
      ];
    return [{ field_id: f, operator: 'more_than_days_ago', value: 60 }];
  };
  return {
    funds: figures.funds.map((f) => ({
      ...f,
      behind: ofFund(f.fund_id),
      by_status_behind: f.committed_by_status.map((s) => ofFund(f.fund_id, s.status)),
    })),
    funnel: {
      ...figures.funnel,
      behind: figures.funnel.stages.map((s) =>
        on(investors, iStage, () => and({ field_id: iStage!, operator: 'is', value: s.stage })),
      ),
    },
    commitments_over_time: figures.commitments_over_time.map((l) => ({
      ...l,
      behind: ofFund(l.fund_id),
    })),
    staleness: {
      ...figures.staleness,
      buckets: figures.staleness.buckets.map((b) => ({
        ...b,
        behind: on(investors, iContacted, () => and(...contacted(b.key))),
      })),
    },
  };
}
