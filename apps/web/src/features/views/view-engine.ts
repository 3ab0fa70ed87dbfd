import { applyView, compileFilter, type RowAccess, type ViewEvalContext } from '@crm/domain';
import type { FieldDefinition } from '@crm/events';
import type { GridRow, TableModel } from '../fundraising/composables/base-model';

/**
 * The grid's side of saved views: the domain's filter and sort code run over the rows the grid
 * already holds, so a view change shows at once and gives the same records, in the same order, as
 * GET /api/fundraising/views/:id/records on the server.
 */

/**
 * The zone the reader's dates are read in ("today", "this week", days since): the browser's, as the
 * grid shows dates; sent to the server as `tz` where it orders a view, so both agree.
 */
export const readerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Reads a field from a grid row: rows hold each field's value at the field's index (stamps filled in). */
export function gridRowAccess(table: Pick<TableModel, 'fields'>): RowAccess<GridRow> {
  const index = new Map(table.fields.map((f, i) => [f.id, i]));
  return {
    id: (row) => row.id,
    value: (row, field: FieldDefinition) => row[index.get(field.id) ?? -1] ?? null,
  };
}

export interface ViewFilterSort {
  filters?: unknown;
  sorts?: unknown;
}

/** The rows a view shows, in its order. Without filters or sorts, the rows as they are (creation order). */
export function rowsForView(
  table: Pick<TableModel, 'fields' | 'rows'>,
  config: ViewFilterSort | null | undefined,
  ctx: ViewEvalContext,
): GridRow[] {
  return applyView(table.rows, table.fields, config, gridRowAccess(table), ctx);
}

/** Whether a single row passes a view's filters (for rows edited or added while the view is open). */
export function rowPasses(
  table: Pick<TableModel, 'fields'>,
  config: ViewFilterSort | null | undefined,
  row: GridRow,
  ctx: ViewEvalContext,
): boolean {
  const p = compileFilter(config?.filters as never, table.fields, gridRowAccess(table), ctx);
  return p ? p(row) : true;
}
