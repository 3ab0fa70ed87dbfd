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
import { readerZone } from '../view-engine';

/** A page of an as-of read: its cursor and size, and whose filters and sorts (see recordsAsOf). */
export interface AsOfPageQuery {
  cursor?: string | null;
  limit?: number;
  definition?: 'then' | 'now';
}

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
  /**
   * A page of the view as it was at a past moment (read-only), in the reader's time zone; with
   * `definition: 'now'`, the view's present filters and sorts over the records then.
   */
  recordsAsOf: (id: string, at: string, page: AsOfPageQuery = {}) => {
    const q = new URLSearchParams({
      as_of: at,
      limit: String(page.limit ?? 100),
      tz: readerZone(),
    });
    if (page.cursor) q.set('cursor', page.cursor);
    if (page.definition === 'now') q.set('definition', 'now');
    return get<ViewRecordsAsOfPage>(`${path(id)}/records?${q}`);
  },
  /** What entered, left or changed in the view since a moment. */
  diffSince: (id: string, from: string, definition: 'then' | 'now' = 'then') => {
    const q = new URLSearchParams({ from, tz: readerZone() });
    if (definition === 'now') q.set('definition', 'now');
    return get<ViewDiffResult>(`${path(id)}/diff?${q}`);
  },
};
