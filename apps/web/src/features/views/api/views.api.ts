import type {
  CreateViewRequest,
  SavedViewResult,
  VersionResult,
  ViewChanges,
  ViewDiffResult,
  ViewList,
  ViewRecordsAsOfPage,
} from '@crm/contracts';
import { del, get, patch, post } from '../../../app/http';

export type { SavedView, ViewChanges } from '@crm/contracts';

const path = (id: string) => `/api/fundraising/views/${encodeURIComponent(id)}`;

export const viewsApi = {
  list: (tableId?: string) =>
    get<ViewList>(
      `/api/fundraising/views${tableId ? `?table_id=${encodeURIComponent(tableId)}` : ''}`,
    ),
  create: (body: CreateViewRequest) => post<SavedViewResult>('/api/fundraising/views', body),
  update: (id: string, body: ViewChanges) => patch<SavedViewResult>(path(id), body),
  remove: (id: string) => del<VersionResult>(path(id)),
  /** The view as it was at a past moment (read-only). */
  recordsAsOf: (id: string, at: string) =>
    get<ViewRecordsAsOfPage>(`${path(id)}/records?as_of=${encodeURIComponent(at)}&limit=10000`),
  /** What entered, left or changed in the view since a moment. */
  diffSince: (id: string, from: string) =>
    get<ViewDiffResult>(`${path(id)}/diff?from=${encodeURIComponent(from)}`),
};
