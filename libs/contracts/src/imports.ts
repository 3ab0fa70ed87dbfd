import type { DateOrder, DecimalMark, ImportSessionView } from '@crm/domain';

/** The import API's answers, built by the domain's import views. */
export type {
  ImportColumnView,
  ImportCommitResult,
  ImportIssue,
  ImportSessionView,
  PlanView,
} from '@crm/domain';

/** How one column of the file is imported: into a field, into a new field, or skipped. */
export interface ColumnPatch {
  field_id?: string;
  new_field?: { name?: string; type: string; options?: Record<string, unknown> };
  skip?: boolean;
  date_order?: DateOrder;
  decimal?: DecimalMark;
  time_zone?: string;
}

/** A column's mapping in a PATCH: a patch, or just "skip". */
export type ColumnMapping = ColumnPatch | 'skip';

/** PATCH /api/fundraising/imports/:id */
export interface PatchImportRequest {
  mapping?: Record<string, ColumnMapping>;
  merge_fields?: string[];
  options?: Partial<ImportSessionView['options']>;
}

/** POST /api/fundraising/imports/:id/commit with `Prefer: respond-async` (202). */
export interface CommitAccepted {
  id: string;
  status: 'committing';
  progress: { phase: string; done: number; total: number | null };
}
