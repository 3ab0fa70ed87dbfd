import type { DashboardResult, RecordsBehind } from '@crm/contracts';
import { get } from '../../../app/http';
import { rememberActiveView } from '../../views/composables/view-session';
import { viewsApi } from '../../views/api/views.api';
import { readerZone } from '../../views/view-engine';

export type { DashboardResult, RecordsBehind } from '@crm/contracts';

export interface DashboardQuery {
  fund_id?: string;
  from?: string;
  to?: string;
  as_of?: string;
}

export const dashboardApi = {
  get: (q: DashboardQuery) => {
    // The reader's zone: their week of reminders and their days since a contact.
    const params = new URLSearchParams({ tz: readerZone() });
    for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
    const qs = params.toString();
    return get<DashboardResult>(`/api/dashboard${qs ? `?${qs}` : ''}`);
  },
};

/** The personal view a chart's click fills with the filter of the records behind it. */
export const FROM_DASHBOARD = 'From the dashboard';

/**
 * Shows the records behind a chart element: the reader's personal "From the dashboard" view of
 * that table gets the element's filter (made the first time), and opens next in the grid.
 */
export async function openRecordsBehind(behind: RecordsBehind, me: string): Promise<string> {
  const { views } = await viewsApi.list(behind.table_id);
  const mine = views.find((v) => v.personal && v.owner_id === me && v.name === FROM_DASHBOARD);
  const view = mine
    ? await viewsApi.update(mine.id, { filters: behind.filters, sorts: [] })
    : await viewsApi.create({
        table_id: behind.table_id,
        name: FROM_DASHBOARD,
        personal: true,
        filters: behind.filters,
      });
  rememberActiveView(behind.table_id, view.id);
  return view.id;
}
