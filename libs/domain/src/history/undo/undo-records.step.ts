import { type CellValue, type RecordedEvent } from '@crm/events';
import { cellValue } from '../../record/record.state';
import { valuesEqual } from '../../values/normalize';
import { type EventOf, type UndoWork } from './undo-work';

/**
 * Reverses a record edit cell by cell: a cell still holding the edit's result goes back; one that
 * already holds the old value is left; one changed again since (or whose field is gone) is a conflict.
 */
export function undoRecordUpdated(
  w: UndoWork,
  recorded: RecordedEvent,
  e: EventOf<'RecordUpdated'>,
): void {
  const r = w.record(e.data.record_id);
  const t = r && w.table(r.table_id);
  if (!r || !t) {
    w.skip(recorded, 'the record no longer exists');
    return;
  }
  const changes: { field_id: string; from: CellValue; to: CellValue }[] = [];
  let followed = 0;
  for (const c of e.data.changes) {
    const field = t.fields.find((f) => f.id === c.field_id);
    // Follow-up values are kept from the log by their processor, never typed: set back, they would
    // be stale at once; they follow the interactions and reminders the undo leaves or reverses.
    if (field?.type === 'follow_up') {
      followed++;
      continue;
    }
    const now: CellValue = field ? cellValue(r, field) : (r.values[c.field_id] ?? null);
    if (valuesEqual(now, c.from) && JSON.stringify(now) === JSON.stringify(c.from)) continue;
    if (!field || !valuesEqual(now, c.to)) {
      const cell = r.cells[c.field_id];
      w.b.conflicts.push({
        record_id: r.id,
        field_id: c.field_id,
        expected: c.to,
        current: now,
        updated_at: cell?.at ?? r.updated_at,
        updated_by: cell?.by ?? r.updated_by,
      });
      continue;
    }
    changes.push({ field_id: c.field_id, from: now, to: c.from });
  }
  if (followed > 0 && followed === e.data.changes.length) {
    w.skip(recorded, 'follow-up values follow the logged interactions and reminders');
    return;
  }
  if (changes.length)
    w.emitRecord(r, {
      type: 'RecordUpdated',
      data: { table_id: r.table_id, record_id: r.id, changes },
    });
  w.reversed++;
}

/** A record created or brought back is archived again, if it is still live. */
export function undoRecordCreated(
  w: UndoWork,
  e: EventOf<'RecordCreated'> | EventOf<'RecordUnarchived'>,
): void {
  const r = w.record(e.data.record_id);
  if (r && !r.archived)
    w.emitRecord(r, { type: 'RecordArchived', data: { table_id: r.table_id, record_id: r.id } });
  w.reversed++;
}

/** An archived record is brought back, if it is still archived. */
export function undoRecordArchived(w: UndoWork, e: EventOf<'RecordArchived'>): void {
  const r = w.record(e.data.record_id);
  if (r && r.archived)
    w.emitRecord(r, { type: 'RecordUnarchived', data: { table_id: r.table_id, record_id: r.id } });
  w.reversed++;
}
