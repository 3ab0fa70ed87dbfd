import { type CellChange, type CellValue, type FieldDefinition } from '@crm/events';
import { cellValue, type RecordState } from '../../record/record.state';
import { isEmptyValue, valuesEqual } from '../../values/normalize';
import { type ImportPlan } from '../plan-import.types';
import { guardAltAt, type PlanRows } from './plan-rows';

export type PlannedRecords = Pick<
  ImportPlan,
  'creates' | 'updates' | 'unchanged' | 'rows_with_errors'
>;

/**
 * Step 7: what each good row does. A row matching no record creates one with its non-empty values;
 * a matched row changes the cells that differ (a guarded text equal to the record's without the
 * apostrophe is no change), or leaves the record unchanged.
 */
export function planRecords(
  rows: PlanRows,
  fields: readonly FieldDefinition[],
  rowRecord: readonly (string | null)[],
  records: readonly RecordState[],
): PlannedRecords {
  const byId = new Map<string, RecordState>();
  for (const rec of records) byId.set(rec.id, rec);
  const out: PlannedRecords = { creates: [], updates: [], unchanged: 0, rows_with_errors: 0 };
  for (let r = 0; r < rows.values.length; r++) {
    if (rows.blank[r]) continue;
    if (rows.bad[r]) out.rows_with_errors++;
    else planRow(rows, fields, rowRecord[r], byId, out, r);
  }
  return out;
}

function planRow(
  rows: PlanRows,
  fields: readonly FieldDefinition[],
  recordId: string | null,
  byId: Map<string, RecordState>,
  out: PlannedRecords,
  r: number,
): void {
  const vals = rows.values[r]!;
  const line = rows.input.rows[r].line;
  if (recordId === null) {
    const values: Record<string, CellValue> = {};
    for (let j = 0; j < fields.length; j++) {
      const v = vals[j] as CellValue | undefined;
      if (v !== undefined && !isEmptyValue(v) && v !== false) values[fields[j].id] = v;
    }
    out.creates.push({ line, ref: `row:${line}`, values });
    return;
  }
  const rec = byId.get(recordId)!;
  const changes: CellChange[] = [];
  for (let j = 0; j < fields.length; j++) {
    const v = vals[j] as CellValue | undefined;
    if (v === undefined) continue;
    const now = cellValue(rec, fields[j]);
    if (valuesEqual(now, v)) continue;
    const alt = guardAltAt(rows, r, j);
    if (alt !== undefined && valuesEqual(now, alt as CellValue)) continue;
    changes.push({ field_id: fields[j].id, from: now, to: v });
  }
  if (changes.length) out.updates.push({ line, record_id: recordId, changes });
  else out.unchanged++;
}
