import type {
  ActivityEntry,
  ArchivedPage,
  BatchPage,
  HistoryEntry,
  HistoryPage as Page,
  RecordDetail,
  RestorePreviewPage,
  RestoreResult,
  RestoreTarget,
  UndoResult,
  UndoStack,
} from '@crm/contracts';
import { get, post } from '../../../app/http';

export type {
  ActivityBatch,
  ActivityEntry,
  ArchivedPage,
  BatchPage,
  CellConflict as UndoConflict,
  HistoryChange,
  HistoryEntry,
  HistoryPage as Page,
  RecordDetail,
  RestorePreviewPage as RestorePreview,
  RestoreTarget,
  UndoResult,
  UndoStackEntry,
} from '@crm/contracts';

const qs = (params: Record<string, string | number | undefined | null>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
};

export const historyApi = {
  recordHistory: (id: string, before?: number | null, limit = 50) =>
    get<Page<HistoryEntry>>(
      `/api/fundraising/records/${encodeURIComponent(id)}/history${qs({ before, limit })}`,
    ),
  record: (id: string) => get<RecordDetail>(`/api/fundraising/records/${encodeURIComponent(id)}`),
  archived: (tableId: string, cursor?: string | null, limit = 200) =>
    get<ArchivedPage>(
      `/api/fundraising/tables/${encodeURIComponent(tableId)}/archived${qs({ cursor, limit })}`,
    ),
  bringBack: (recordIds: string[]) =>
    post<unknown>('/api/fundraising/changes', {
      changes: recordIds.map((record_id) => ({ op: 'unarchive', record_id })),
    }),
  undoStack: () => get<UndoStack>('/api/fundraising/undo-stack'),
  undo: (correlation_id: string) => post<UndoResult>('/api/fundraising/undo', { correlation_id }),
  redo: (correlation_id: string) => post<UndoResult>('/api/fundraising/redo', { correlation_id }),
  activity: (filter: {
    types?: string;
    actor_id?: string;
    record_id?: string;
    before?: number | null;
    limit?: number;
  }) => get<Page<ActivityEntry>>(`/api/activity${qs({ ...filter, limit: filter.limit ?? 50 })}`),
  batch: (correlationId: string, page: { types?: string; offset?: number; limit?: number } = {}) =>
    get<BatchPage>(
      `/api/activity/batches/${encodeURIComponent(correlationId)}${qs({ ...page, limit: page.limit ?? 50 })}`,
    ),
  restorePreview: (target: RestoreTarget, page: { offset?: number; limit?: number } = {}) =>
    post<RestorePreviewPage>('/api/fundraising/restore-preview', { ...target, ...page }),
  restore: (token: string) => post<RestoreResult>('/api/fundraising/restore', { token }),
};
