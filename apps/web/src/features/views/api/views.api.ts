import type {
  CreateViewRequest,
  SavedViewResult,
  VersionResult,
  ViewChanges,
  ViewList,
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
};
