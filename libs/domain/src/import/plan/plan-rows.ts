import { type FieldDefinition } from '@crm/events';
import { type ImportIssue, type PlanColumn, type PlanImportInput } from '../plan-import.types';

/** A column that fills a field. */
export type MappedColumn = PlanColumn & { field: FieldDefinition };

/**
 * What the planning steps learn about the file's rows, by row index `r` (of `input.rows`) and mapped
 * column index `j`. The steps run in order and each refines it: read, settled, matched, planned.
 */
export interface PlanRows {
  readonly input: PlanImportInput;
  readonly mapped: readonly MappedColumn[];
  /** Each row's values by mapped column; none for a blank row or one of the wrong width. */
  readonly values: (unknown[] | undefined)[];
  /** 1 for a row with an error (left out of the plan). */
  readonly bad: Uint8Array;
  /** 1 for a row with no value at all. */
  readonly blank: Uint8Array;
  /** A cell written with the formula guard, read without it (at `r * mapped.length + j`). */
  readonly guardAlt: Map<number, unknown>;
  /** Errors in the order they were found (the plan sorts them by line). */
  readonly errors: ImportIssue[];
}

export function newPlanRows(input: PlanImportInput, mapped: readonly MappedColumn[]): PlanRows {
  const count = input.rows.length;
  return {
    input,
    mapped,
    values: new Array<unknown[] | undefined>(count),
    bad: new Uint8Array(count),
    blank: new Uint8Array(count),
    guardAlt: new Map(),
    errors: [],
  };
}

/** Records an error on row `r`, which leaves the row out of the plan. */
export function rowError(rows: PlanRows, r: number, column: string | null, message: string): void {
  rows.bad[r] = 1;
  rows.errors.push({ line: rows.input.rows[r].line, column, message });
}

/** The cell read without its formula guard, if it had one (most files have none: no lookup then). */
export function guardAltAt(rows: PlanRows, r: number, j: number): unknown {
  return rows.guardAlt.size === 0 ? undefined : rows.guardAlt.get(r * rows.mapped.length + j);
}
