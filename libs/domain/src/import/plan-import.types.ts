import { type CellChange, type CellValue, type FieldDefinition } from '@crm/events';
import { type RecordState } from '../record/record.state';
import { type ColumnFormat } from './column-format';
import { type LinkDirectory } from './link-directory';

/** What the import planner takes and gives: rows of a file, columns mapped to fields, and the plan. */

export interface ImportRow {
  /** The file line the row starts on (the header is line 1). */
  line: number;
  cells: string[];
}

export interface PlanColumn {
  /** Position in the file's header. */
  index: number;
  name: string;
  /** The field the column fills (one of the table's, or one the import adds); null skips the column. */
  field: FieldDefinition | null;
  /** True when the import adds the field. */
  added: boolean;
  format: ColumnFormat;
}

/** What to do with `'=…`: the apostrophe a spreadsheet (or our export) puts before text starting with = + - @. */
export type FormulaGuardMode = 'auto' | 'strip' | 'keep';

export interface PlanOptions {
  /** Create a record in the linked table for each name that matches none (else each is an error). */
  create_missing_links: boolean;
  /** Leave rows with errors out instead of refusing the whole import. */
  skip_rows_with_errors: boolean;
  /**
   * `keep` stores the apostrophe; `strip` removes it; `auto` (the default) keeps it, except that a
   * cell whose record already holds the text without it is unchanged (an export imported back).
   */
  formula_guard: FormulaGuardMode;
}

export interface PlanImportInput {
  table_id: string;
  primary_field_id: string;
  header_count: number;
  columns: readonly PlanColumn[];
  rows: readonly ImportRow[];
  /** Header positions of the merge-key columns; empty: every row creates a record. */
  merge_columns: readonly number[];
  /** The table's records (archived ones are ignored: they are deleted). */
  records: Iterable<RecordState>;
  links(tableId: string): LinkDirectory | undefined;
  options: PlanOptions;
}

export interface ImportIssue {
  /** File line, or null for a problem of a whole column or of the mapping. */
  line: number | null;
  column: string | null;
  message: string;
}

/** A record the import creates; `ref` (`row:<line>`) stands for its id until the commit gives it one. */
export interface PlannedCreate {
  line: number;
  ref: string;
  values: Record<string, CellValue>;
}

export interface PlannedUpdate {
  line: number;
  record_id: string;
  changes: CellChange[];
}

/** A linked record the import creates from a name that matched none; `ref` is `new:<n>`. */
export interface PlannedLinkCreate {
  ref: string;
  table_id: string;
  name: string;
  line: number;
  column: string;
}

export interface ImportPlan {
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  unchanged: number;
  /** Rows the plan leaves out: blank lines, and rows with errors when those are skipped. */
  blank_rows: number;
  rows_with_errors: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** Choices select fields gain (for fields the import adds: all of their choices). */
  new_choices: { field_id: string; choices: string[] }[];
  unmatched_links: { column: string; field_id: string; table_id: string; names: string[] }[];
  link_creates: PlannedLinkCreate[];
}
