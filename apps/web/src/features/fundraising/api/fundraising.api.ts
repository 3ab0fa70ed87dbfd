import type { CellValue, FieldDefinition } from '@crm/events';
import { get, patch, post, put, del, type RequestOptions } from '../../../app/http';

export interface RecordJson {
  id: string;
  values: Record<string, CellValue>;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface TableJson {
  id: string;
  name: string;
  role: string | null;
  primary_field_id: string;
  fields: FieldDefinition[];
  records: RecordJson[];
}

export interface ViewJson {
  id: string;
  table_id: string;
  name: string;
  config: {
    default?: boolean;
    field_order?: string[];
    field_widths?: Record<string, number>;
    [k: string]: unknown;
  };
}

export interface StateJson {
  version: number;
  updated_at: string | null;
  updated_by: string | null;
  tables: TableJson[];
  views: ViewJson[];
}

export type ChangeOp =
  | { op: 'create'; table_id: string; record_id: string; values: Record<string, CellValue> }
  | { op: 'set'; record_id: string; field_id: string; from: CellValue; to: CellValue }
  | { op: 'archive' | 'unarchive'; record_id: string };

export interface Conflict {
  record_id: string;
  field_id: string;
  expected: CellValue;
  current: CellValue;
  updated_at: string | null;
  updated_by: string | null;
}

export interface ChangesResult {
  version: number;
  applied: { index: number; op: string; record_id: string; field_id?: string; changed: boolean }[];
  conflicts: Conflict[];
}

export interface LiveEvent {
  position: number;
  type: string;
  data: Record<string, unknown>;
  recorded_at: string;
  actor_id: string;
  actor_name: string | null;
  source: string;
}

export const fundraisingApi = {
  state: (options?: RequestOptions) => get<StateJson>('/api/fundraising/state', options),
  changes: (changes: ChangeOp[], idempotencyKey: string) =>
    post<ChangesResult>(
      '/api/fundraising/changes',
      { changes },
      { headers: { 'Idempotency-Key': idempotencyKey } },
    ),
  actors: () => get<{ actors: { id: string; name: string }[] }>('/api/fundraising/actors'),
  webConfig: () => get<{ handsontable_license_key: string }>('/api/config/web'),
  addField: (
    tableId: string,
    body: { name: string; type: string; options: Record<string, unknown> },
  ) =>
    post<{ version: number; field: FieldDefinition }>(
      `/api/fundraising/tables/${encodeURIComponent(tableId)}/fields`,
      body,
    ),
  updateField: (
    fieldId: string,
    body: { name?: string; type?: string; options?: Record<string, unknown> },
  ) =>
    patch<{
      version: number;
      field: FieldDefinition;
      unconverted: { record_id: string; value: CellValue }[];
    }>(`/api/fundraising/fields/${encodeURIComponent(fieldId)}`, body),
  removeField: (fieldId: string) =>
    del<{ version: number }>(`/api/fundraising/fields/${encodeURIComponent(fieldId)}`),
  saveView: (
    viewId: string,
    body: { table_id: string; name: string; config: Record<string, unknown> },
  ) => put<{ version: number }>(`/api/fundraising/views/${encodeURIComponent(viewId)}`, body),
  createView: (body: { table_id: string; name: string; config: Record<string, unknown> }) =>
    post<{ version: number; view: ViewJson }>('/api/fundraising/views', body),
};
