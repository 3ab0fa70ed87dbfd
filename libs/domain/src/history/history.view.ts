import { CellConflict } from '../base/decide-context';

/*
 * What the history API answers with: the API builds these and the web app reads them, so both are
 * checked against one definition.
 */

export interface HistoryChange {
  field_id: string;
  field_name: string;
  from: unknown;
  to: unknown;
}

/** One event as a person reads it: who, when, from where, and what changed. */
export interface HistoryEntry {
  position: number;
  recorded_at: string;
  actor: { id: string; name: string };
  source: string;
  correlation_id: string;
  kind: string;
  summary: string;
  changes: HistoryChange[];
}

/** An entry of the activity feed: any event, with the record and table it concerns when it has them. */
export interface ActivityEntry extends HistoryEntry {
  type: string;
  record_id: string | null;
  table_id: string | null;
}

/** A page of entries, newest first; `next_before` asks for the page after it. */
export interface HistoryPage<T> {
  entries: T[];
  next_before: number | null;
}

/** One of a person's recent batches, and whether it is undone now. */
export interface UndoStackEntry {
  correlation_id: string;
  position: number;
  recorded_at: string;
  source: string;
  kind: 'edit' | 'undo';
  /** For an undo: the batch it undoes. */
  undoes: string | null;
  events: number;
  summary: string;
  undone: boolean;
  undone_by: string | null;
}

export interface UndoResult {
  version: number;
  /** The undo batch's own correlation id: redo it with POST /redo. */
  correlation_id: string;
  undone: string;
  reversed: number;
  conflicts: CellConflict[];
  skipped: unknown[];
}
