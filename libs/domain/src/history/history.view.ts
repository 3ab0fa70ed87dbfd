import type { FieldDefinition } from '@crm/events';
import { type CellConflict } from '../base/decide-context';

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
  /** The API token the change was made with, when it was (its owner is the actor). */
  token?: { id: string; name: string };
  correlation_id: string;
  kind: string;
  summary: string;
  changes: HistoryChange[];
}

/**
 * Several events of one command (an import, a restore, a paste) read as one entry of the feed. The
 * entry is the batch's newest event; its rows are paged with GET /api/activity/batches/:correlation_id.
 */
export interface ActivityBatch {
  /** Events of the batch that the feed's filter keeps. */
  events: number;
  /** Distinct records among them. */
  records: number;
  /** The batch's oldest position on this run of the feed: restoring to just before the batch is restoring to `first_position - 1`. */
  first_position: number;
  /** What kind of batch it is, for the wording. */
  kind: 'import' | 'restore' | 'rollback' | 'undo' | 'edit' | 'automation';
  /** For a restore: the moment it went back to (ISO), for the app to show in the reader's zone. */
  restored_to: string | null;
  /** What it did, without the lead ("imported … from …"): "created 3 records, changed 40 cells in 10 records". */
  detail: string;
}

/** An entry of the activity feed: any event, with the record and table it concerns when it has them. */
export interface ActivityEntry extends HistoryEntry {
  type: string;
  record_id: string | null;
  /** The record's primary field as it is now (null when the entry is not about one record). */
  record_name: string | null;
  table_id: string | null;
  /** Set when the entry stands for several events of one command. */
  batch: ActivityBatch | null;
  /** Whether "roll back this batch" can do anything: data changes can, account and backup events cannot. */
  can_roll_back: boolean;
}

/**
 * A page of entries, newest first; `next_before` asks for the page after it. `fields` and `names`
 * say how to show the values on the page: the definitions of the fields they belong to, and the
 * names of the records they link to (and of the records the entries are about).
 */
export interface HistoryPage<T> {
  entries: T[];
  next_before: number | null;
  fields?: Record<string, FieldDefinition>;
  names?: Record<string, string>;
}

/** One page of a batch's rows, oldest first. */
export interface BatchPage {
  entries: ActivityEntry[];
  total: number;
  next_offset: number | null;
  fields: Record<string, FieldDefinition>;
  names: Record<string, string>;
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
