import type Handsontable from 'handsontable/base';
import type { ChangeOp } from '../api/fundraising.api';
import type { BaseModel, GridRow, TableModel } from './base-model';

/**
 * Rows put into the shown table through Handsontable, so that its row maps (sorting, filtering)
 * follow: at the end, or before the row now at physical `index`.
 */
export function insertShownRows(
  hot: Handsontable,
  t: TableModel,
  index: number,
  rows: GridRow[],
): void {
  const count = hot.countRows();
  if (index >= count) {
    if (count === 0) hot.alter('insert_row_above', 0, rows.length, 'remote');
    else hot.alter('insert_row_below', count - 1, rows.length, 'remote');
    for (let k = 0; k < rows.length; k++) t.rows[hot.toPhysicalRow(count + k)] = rows[k];
  } else {
    hot.alter('insert_row_above', hot.toVisualRow(index), rows.length, 'remote');
    for (let k = 0; k < rows.length; k++)
      t.rows[hot.toPhysicalRow(hot.toVisualRow(index) + k)] = rows[k];
  }
}

/** Rows taken out of the shown table through Handsontable, in as few contiguous ranges as they form. */
export function removeShownRows(hot: Handsontable, visualRows: number[]): void {
  const visual = visualRows.filter((v) => v >= 0).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const v of visual) {
    const last = ranges[ranges.length - 1];
    if (last && last[0] + last[1] === v) last[1]++;
    else ranges.push([v, 1]);
  }
  if (ranges.length) hot.alter('remove_row', ranges, undefined, 'remote');
}

/** Edits still in the outbox after a reload show as typed, not as the server has them yet. */
export function overlayPending(model: BaseModel, ops: readonly ChangeOp[], me: string): void {
  for (const op of ops) {
    if (op.op === 'create') {
      const table = model.table(op.table_id);
      if (!table || model.record(op.record_id)) continue;
      table.rows.push(
        model.rowOf(table, {
          id: op.record_id,
          values: op.values,
          created_at: new Date().toISOString(),
          created_by: me,
        }),
      );
    } else if (op.op === 'set') {
      const hit = model.record(op.record_id);
      const i = hit ? model.fieldIndex(hit.table, op.field_id) : -1;
      if (hit && i >= 0) hit.row[i] = op.to;
    } else if (op.op === 'archive') {
      const hit = model.record(op.record_id);
      if (hit) {
        const i = hit.table.rows.indexOf(hit.row);
        if (i >= 0) hit.table.rows.splice(i, 1);
        model.unregister(op.record_id);
      }
    }
  }
}
