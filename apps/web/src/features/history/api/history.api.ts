import type {
  ActivityEntry,
  BatchPage,
  HistoryChange,
  HistoryEntry,
  HistoryPage as Page,
  UndoResult,
  UndoStackEntry,
} from '@crm/domain';
import type { FieldDefinition } from '@crm/events';
import { get, post } from '../../../app/http';

/** The history API's answers, defined once for the API that builds them and the app that reads them. */
export type {
  ActivityBatch,
  ActivityEntry,
  BatchPage,
  CellConflict as UndoConflict,
  HistoryChange,
  HistoryEntry,
  HistoryPage as Page,
  UndoResult,
  UndoStackEntry,
} from '@crm/domain';

export interface RecordDetail {
  id: string;
  table_id: string;
  values: Record<string, unknown>;
  archived: boolean;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  cells: Record<string, { at: string; by: string }>;
}
export interface ArchivedPage {
  version: number;
  records: {
    id: string;
    values: Record<string, unknown>;
    updated_at?: string;
    updated_by?: string;
  }[];
  next_cursor: string | null;
}
export type RestoreTarget =
  | { at: string }
  | { position: number }
  | { correlation_id: string }
  | { actor_id: string; from: string; to: string }
  | { backup_id: string };
export interface RestorePreview {
  token: string;
  target: unknown;
  head: number;
  counts: {
    to_archive: number;
    to_bring_back: number;
    to_change: number;
    cells: number;
    schema: number;
    changes: number;
    conflicts: number;
    skipped: number;
  };
  to_archive: { record_id: string; table_id: string }[];
  to_bring_back: { record_id: string; table_id: string }[];
  to_change: { record_id: string; table_id: string; changes: HistoryChange[] }[];
  schema: {
    kind: string;
    table_id: string;
    field_id?: string;
    view_id?: string;
    name: string;
    detail?: { from: unknown; to: unknown };
  }[];
  conflicts: unknown[];
  skipped: unknown[];
  /** With a backup_id target: the backup restored to, and the checks it passed first. */
  backup?: {
    id: string;
    created_at: string;
    checks: { name: string; ok: boolean; detail: string }[];
  };
  /** How to show the values on this page: their fields, the names of the records listed and linked, table names. */
  fields: Record<string, FieldDefinition>;
  names: Record<string, string>;
  tables: Record<string, string>;
}

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
  undoStack: () => get<{ entries: UndoStackEntry[] }>('/api/fundraising/undo-stack'),
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
    post<RestorePreview>('/api/fundraising/restore-preview', { ...target, ...page }),
  restore: (token: string) =>
    post<{ version: number; correlation_id: string; events: number; changes: number }>(
      '/api/fundraising/restore',
      { token },
    ),
};
