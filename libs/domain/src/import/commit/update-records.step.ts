import { type CellChange, streams } from '@crm/events';
import { type DecideContext, type DecisionBuilder } from '../../base/decide-context';
import { illegal, notFound } from '../../errors';
import { cellValue, type RecordState } from '../../record/record.state';
import { valuesEqual } from '../../values/normalize';
import { type CommitImport } from '../decide-import';
import { type ImportValues } from './import-values';

/**
 * Step 4 of decideImport: the changes of matched rows. A cell that no longer holds the value the
 * plan saw is a conflict (collected in the builder); a cell that already holds the new value is no
 * change. Returns how many records change.
 */
export function decideUpdates(
  cmd: CommitImport,
  ctx: DecideContext,
  values: ImportValues,
  b: DecisionBuilder,
): number {
  let updated = 0;
  for (const u of cmd.updates) if (updateRecord(u, ctx, values, b)) updated++;
  return updated;
}

function updateRecord(
  u: CommitImport['updates'][number],
  ctx: DecideContext,
  values: ImportValues,
  b: DecisionBuilder,
): boolean {
  const { table } = values;
  const record = ctx.record(u.record_id);
  if (!record || record.table_id !== table.id)
    throw notFound(
      `line ${u.line}: record ${u.record_id} does not exist in table "${table.name}"`,
      { field: 'record_id', given: u.record_id, line: u.line },
    );
  if (record.archived)
    throw illegal(`line ${u.line}: record ${record.id} was deleted since the plan was made`, {
      field: 'record_id',
      line: u.line,
    });
  const changes: CellChange[] = [];
  for (const ch of u.changes) {
    const field = values.fieldAt(ch.field_id, u.line);
    const value = values.valueAt(field, ch.to, u.line);
    const now = cellValue(record, field);
    if (!valuesEqual(now, ch.from)) {
      b.conflicts.push(conflictOf(record, field.id, ch.from, now));
      continue;
    }
    if (valuesEqual(now, value)) continue;
    values.checkLinks(field, value, u.line);
    changes.push({ field_id: field.id, from: now, to: value });
  }
  if (changes.length === 0) return false;
  b.emit(streams.record(record.id), record.version, {
    type: 'RecordUpdated',
    data: {
      table_id: table.id,
      record_id: record.id,
      changes,
      provenance: values.provenance(u.line),
    },
  });
  return true;
}

function conflictOf(
  record: RecordState,
  fieldId: string,
  expected: CellChange['from'],
  current: CellChange['from'],
): DecisionBuilder['conflicts'][number] {
  const cell = record.cells[fieldId];
  return {
    record_id: record.id,
    field_id: fieldId,
    expected,
    current,
    updated_at: cell?.at ?? record.created_at,
    updated_by: cell?.by ?? record.created_by,
  };
}
