import { ApiError, get, NetworkError, patch, post } from '../../../app/http';

export interface ImportIssue {
  line: number | null;
  column: string | null;
  message: string;
}

export interface ImportColumn {
  name: string;
  index: number;
  inferred_type: string;
  confidence: number;
  samples: string[];
  notes: string[];
  date_ambiguity: { day_first: { value: string; line: number }; month_first: { value: string; line: number } } | null;
  non_empty: number;
  field_id: string | null;
  target: { action: 'skip' } | { action: 'field'; field_id: string; name: string; type: string | null } | { action: 'new'; field_id: string; name: string; type: string; options: Record<string, unknown> };
  format: { date_order: 'mdy' | 'dmy' | null; decimal: '.' | ','; time_zone: string };
}

export interface PlanSummary {
  create: number;
  update: number;
  unchanged: number;
  blank_rows: number;
  rows_with_errors: number;
  errors: ImportIssue[];
  errors_total: number;
  warnings: ImportIssue[];
  new_choices: { field_id: string; choices: string[] }[];
  unmatched_links: { column: string; field_id: string; table_id: string; names: string[] }[];
  link_creates: number;
  updates: { line: number; record_id: string; record_name: string; changes: { field_id: string; field: string; from: unknown; to: unknown }[] }[];
  updates_total: number;
  committable: boolean;
  suggested_merge_fields: { columns: string[]; matches: number; reason: string } | null;
}

export interface CommitResult {
  import_id: string;
  created: number;
  updated: number;
  unchanged: number;
  skipped_rows: number;
  version: number;
  correlation_id: string;
}

export interface ImportSession {
  id: string;
  status: 'planned' | 'committed';
  file_name: string;
  encoding: string;
  delimiter: string;
  table_id: string;
  new_table_name: string | null;
  rows: number;
  columns: ImportColumn[];
  merge_fields: string[];
  options: { create_missing_links: boolean; skip_rows_with_errors: boolean; formula_guard: 'auto' | 'strip' | 'keep' };
  plan: PlanSummary | null;
  progress: { phase: string; done: number; total: number | null };
  result: CommitResult | null;
  correlation_id: string | null;
  failure: { statusCode: number; message: string } | null;
}

export type ColumnPatch = 'skip' | { field_id?: string; new_field?: { type: string; name?: string; options?: Record<string, unknown> }; date_order?: 'mdy' | 'dmy'; decimal?: '.' | ',' };

/**
 * The upload goes as multipart/form-data with XHR rather than fetch, for its upload progress; the
 * rest are JSON calls through the app's one door to the API.
 */
export function uploadImport(file: File, fields: Record<string, string>, onProgress: (sent: number, total: number) => void): Promise<ImportSession> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/fundraising/imports');
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onerror = () => reject(new NetworkError());
    xhr.onload = () => {
      let body: { message?: string; details?: Record<string, unknown>; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: keep the status
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as unknown as ImportSession);
      else reject(new ApiError(xhr.status, body.message ?? `upload failed (${xhr.status})`, body.details ?? {}, body.error ?? ''));
    };
    xhr.send(form);
  });
}

export const importsApi = {
  get: (id: string) => get<ImportSession>(`/api/fundraising/imports/${encodeURIComponent(id)}`),
  patch: (id: string, body: { mapping?: Record<string, ColumnPatch>; merge_fields?: string[]; options?: Partial<ImportSession['options']> }) =>
    patch<ImportSession>(`/api/fundraising/imports/${encodeURIComponent(id)}`, body),
  commitAsync: (id: string) => post<{ id: string; status: string }>(`/api/fundraising/imports/${encodeURIComponent(id)}/commit`, {}, { headers: { Prefer: 'respond-async' } }),
  errorsUrl: (id: string) => `/api/fundraising/imports/${encodeURIComponent(id)}/errors.csv`,
  undo: (correlationId: string) => post<{ reversed: number; conflicts: unknown[] }>('/api/fundraising/undo', { correlation_id: correlationId }),
};
