import { type CellValue } from '@crm/events';
import { type CellConflict } from '../base/decide-context';
import { type ImportSkip } from './commit/slice-import';
import { type ColumnFormat } from './column-format';
import { type DateAmbiguity, type InferredType } from './infer-column';
import { type ImportIssue, type ImportPlan, type PlanOptions } from './plan-import.types';
import { type MergeKeySuggestion } from './suggest-merge-key';

/*
 * What the import API answers with: the API builds these and the web app reads them, so both are
 * checked against one definition.
 */

export interface ImportProgress {
  phase: 'reading' | 'planning' | 'planned' | 'checking' | 'writing' | 'committed' | 'failed';
  done: number;
  total: number | null;
}

/** The plan as the review shows it and the session keeps it: counts, the first errors and updates. */
export interface PlanSummary {
  create: number;
  update: number;
  unchanged: number;
  blank_rows: number;
  rows_with_errors: number;
  errors: ImportIssue[];
  errors_total: number;
  warnings: ImportIssue[];
  new_choices: ImportPlan['new_choices'];
  unmatched_links: ImportPlan['unmatched_links'];
  link_creates: number;
  updates: {
    line: number;
    record_id: string;
    changes: { field_id: string; from: CellValue; to: CellValue }[];
  }[];
  updates_total: number;
  committable: boolean;
  suggested_merge_fields: MergeKeySuggestion | null;
}

/** The summary with names: the record each update changes and the field of each change. */
export interface PlanView extends Omit<PlanSummary, 'updates'> {
  updates: {
    line: number;
    record_id: string;
    record_name: string;
    changes: { field_id: string; field: string; from: CellValue; to: CellValue }[];
  }[];
}

/** Where a column goes: left out, into a field of the table, or into a field the import adds. */
export type ColumnTarget =
  | { action: 'skip' }
  | { action: 'field'; field_id: string; name: string; type: string | null }
  | {
      action: 'new';
      field_id: string;
      name: string;
      type: string;
      options: Record<string, unknown>;
    };

export interface ImportColumnView {
  name: string;
  index: number;
  inferred_type: InferredType;
  confidence: number;
  /** The confidence in words (“all 4 values look like web addresses; few values to go by (93% sure)”). */
  confidence_reason: string;
  samples: string[];
  notes: string[];
  date_ambiguity: DateAmbiguity | null;
  non_empty: number;
  field_id: string | null;
  target: ColumnTarget;
  format: ColumnFormat;
}

export interface ImportCommitResult {
  import_id: string;
  created: number;
  updated: number;
  unchanged: number;
  skipped_rows: number;
  version: number;
  correlation_id: string;
  /**
   * Written in slices: cells someone changed while the import was being written keep their value
   * (the first 50, and how many); records it could not write as planned. Absent when there were none.
   */
  conflicts?: { count: number; first: CellConflict[] };
  skipped?: ImportSkip[];
}

/** An import session: what the wizard shows at every step. */
export interface ImportSessionView {
  id: string;
  status: 'planned' | 'committed';
  file_name: string;
  file_bytes: number;
  encoding: string;
  delimiter: string;
  table_id: string;
  new_table_name: string | null;
  rows: number;
  columns: ImportColumnView[];
  merge_fields: string[];
  /** For an existing table imported without a merge key: a column (or pair) unique in the file and the table. */
  suggested_merge_fields: MergeKeySuggestion | null;
  options: PlanOptions;
  plan: PlanView | null;
  base_version: number | null;
  progress: ImportProgress;
  result: ImportCommitResult | null;
  correlation_id: string | null;
  /** Why the last commit failed (a commit sent with `Prefer: respond-async` answers before it ends). */
  failure: { statusCode: number; message: string; details?: unknown } | null;
  created_at: string;
  created_by: string;
}
