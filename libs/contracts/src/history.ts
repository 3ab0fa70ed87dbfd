import type { HistoryChange, RestoreSummary, UndoStackEntry } from '@crm/domain';

/** A cell a restore changes; a rollback of a batch does not name the field (the page's `fields` do). */
export type RestoreCellChange = Omit<HistoryChange, 'field_name'> & { field_name?: string };
import type { FieldDefinition } from '@crm/events';

/** The history API's answers that the domain builds: defined there, listed here with the rest. */
export type {
  ActivityBatch,
  ActivityEntry,
  BatchPage,
  CellConflict,
  HistoryChange,
  HistoryEntry,
  HistoryPage,
  UndoResult,
  UndoStackEntry,
} from '@crm/domain';

/** GET /api/fundraising/records/:id: a record with who last changed each cell. */
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

/** GET /api/fundraising/tables/:id/archived */
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

/** GET /api/fundraising/undo-stack */
export interface UndoStack {
  entries: UndoStackEntry[];
}

/** POST /api/fundraising/undo: the batch to undo, by its correlation id or by one event's position. */
export interface UndoRequest {
  correlation_id?: string;
  position?: number;
}

/** POST /api/fundraising/redo: the undo to redo. */
export interface RedoRequest {
  correlation_id: string;
}

/** What to go back to: a moment, a log position, one batch, one person's edits in a window, or a backup. */
export type RestoreTarget =
  | { at: string }
  | { position: number }
  | { correlation_id: string }
  | { actor_id: string; from: string; to: string }
  | { backup_id: string };

/** A target as the preview resolved it (a backup becomes the log position it was taken at). */
export type ResolvedRestoreTarget = Exclude<RestoreTarget, { backup_id: string }>;

/** POST /api/fundraising/restore-preview: the target, and which page of each list to show. */
export type RestorePreviewRequest = RestoreTarget & { offset?: number; limit?: number };

/**
 * What a restore would change (the domain's summary, with the cells a rollback names without their
 * field), and the token that applies it while the log has not moved on.
 */
export interface RestorePreview extends Omit<RestoreSummary, 'counts' | 'to_change'> {
  token: string;
  target: ResolvedRestoreTarget & { position?: number };
  head: number;
  /**
   * `changes`: the events a restore writes (list moves included), the number its result reports as
   * `changes`; `lists`: how many records' lists go back.
   */
  counts: RestoreSummary['counts'] & { conflicts: number; skipped: number; lists: number };
  /**
   * The records whose lists the restore puts back (`from`: now, `to`: after it), one page: to a
   * moment, the lists then; for a rollback of a batch or a window, its list moves taken back.
   */
  lists: { record_id: string; table_id: string; from: string[]; to: string[] }[];
  to_change: { record_id: string; table_id: string; changes: RestoreCellChange[] }[];
  conflicts: unknown[];
  skipped: unknown[];
}

/** The preview as the API answers it: with what is needed to show its values. */
export interface RestorePreviewPage extends RestorePreview {
  /** With a backup_id target: the backup restored to, and the checks it passed first. */
  backup?: {
    id: string;
    created_at: string;
    checks: { name: string; ok: boolean; detail: string }[];
  };
  /** Fields of the values on this page, names of the records listed and linked, table names. */
  fields: Record<string, FieldDefinition>;
  names: Record<string, string>;
  tables: Record<string, string>;
}

/** POST /api/fundraising/restore */
export interface RestoreRequest {
  token: string;
}

export interface RestoreResult {
  version: number;
  correlation_id: string;
  events: number;
  changes: number;
}
