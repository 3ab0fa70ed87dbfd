import type { FilterGroup, SummaryKind, ViewSort } from '@crm/domain';
import { del, get, patch, post } from '../../../app/http';

/** A saved view as the API shows it (GET/POST/PATCH /api/fundraising/views). */
export interface SavedView {
  id: string;
  table_id: string;
  name: string;
  personal: boolean;
  owner_id: string | null;
  locked: boolean;
  default: boolean;
  filters: FilterGroup | null;
  sorts: ViewSort[];
  hidden_fields: string[];
  field_order: string[];
  field_widths: Record<string, number>;
  frozen_columns: number;
  row_height: 'short' | 'medium' | 'tall' | 'extra_tall';
  /** The summary bar: field id → the figure its column shows. */
  summaries: Record<string, SummaryKind>;
  config: Record<string, unknown>;
}

export type ViewChanges = Partial<
  Pick<
    SavedView,
    | 'name'
    | 'personal'
    | 'locked'
    | 'filters'
    | 'sorts'
    | 'hidden_fields'
    | 'field_order'
    | 'field_widths'
    | 'frozen_columns'
    | 'row_height'
    | 'summaries'
  >
>;

const path = (id: string) => `/api/fundraising/views/${encodeURIComponent(id)}`;

export const viewsApi = {
  list: (tableId?: string) =>
    get<{ views: SavedView[] }>(
      `/api/fundraising/views${tableId ? `?table_id=${encodeURIComponent(tableId)}` : ''}`,
    ),
  create: (body: ViewChanges & { table_id: string; name: string }) =>
    post<SavedView & { version: number }>('/api/fundraising/views', body),
  update: (id: string, body: ViewChanges) => patch<SavedView & { version: number }>(path(id), body),
  remove: (id: string) => del<{ version: number }>(path(id)),
};
