import type {
  CommitAccepted,
  ImportSessionView as ImportSession,
  PatchImportRequest,
  UndoResult,
} from '@crm/contracts';
import { ApiError, get, NetworkError, patch, post } from '../../../app/http';

export type {
  ImportIssue,
  ImportColumnView as ImportColumn,
  PlanView as PlanSummary,
  ImportCommitResult as CommitResult,
  ImportSessionView as ImportSession,
  ColumnMapping as ColumnPatch,
} from '@crm/contracts';

/**
 * The upload goes as multipart/form-data with XHR rather than fetch, for its upload progress; the
 * rest are JSON calls through the app's one door to the API.
 */
export function uploadImport(
  file: File,
  fields: Record<string, string>,
  onProgress: (sent: number, total: number) => void,
): Promise<ImportSession> {
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
      let body: unknown = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: keep the status
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportSession);
      else reject(ApiError.of(xhr.status, body, 'upload failed'));
    };
    xhr.send(form);
  });
}

export const importsApi = {
  get: (id: string) => get<ImportSession>(`/api/fundraising/imports/${encodeURIComponent(id)}`),
  patch: (id: string, body: PatchImportRequest) =>
    patch<ImportSession>(`/api/fundraising/imports/${encodeURIComponent(id)}`, body),
  commitAsync: (id: string) =>
    post<CommitAccepted>(
      `/api/fundraising/imports/${encodeURIComponent(id)}/commit`,
      {},
      { headers: { Prefer: 'respond-async' } },
    ),
  errorsUrl: (id: string) => `/api/fundraising/imports/${encodeURIComponent(id)}/errors.csv`,
  undo: (correlationId: string) =>
    post<UndoResult>('/api/fundraising/undo', { correlation_id: correlationId }),
};
