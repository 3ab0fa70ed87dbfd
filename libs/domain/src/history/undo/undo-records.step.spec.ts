import { asEvent, change, givenUndoBase, undoWork } from '../../testing/given-undo';
import { eventsOf } from '../../testing/given-when-then';
import { undoRecordArchived, undoRecordCreated, undoRecordUpdated } from './undo-records.step';

describe('undo of record events', () => {
  it('given an edit still in place, when undone, then the cell goes back', () => {
    const g = givenUndoBase();
    const [edit] = change(g, [
      { op: 'set', record_id: 'r1', field_id: 'owner', from: null, to: 'Ana' },
    ]);
    const w = undoWork(g);
    undoRecordUpdated(w, edit, asEvent(edit, 'RecordUpdated'));
    expect(w.reversed).toBe(1);
    expect(eventsOf(w.b.build())).toEqual([
      {
        type: 'RecordUpdated',
        data: {
          table_id: 'tbl',
          record_id: 'r1',
          changes: [{ field_id: 'owner', from: 'Ana', to: null }],
        },
      },
    ]);
  });

  it('given a cell changed again since, when undone, then it is a conflict and nothing is emitted', () => {
    const g = givenUndoBase();
    const [edit] = change(g, [
      { op: 'set', record_id: 'r1', field_id: 'owner', from: null, to: 'Ana' },
    ]);
    change(g, [{ op: 'set', record_id: 'r1', field_id: 'owner', from: 'Ana', to: 'Ben' }], 'usr_b');
    const w = undoWork(g);
    undoRecordUpdated(w, edit, asEvent(edit, 'RecordUpdated'));
    expect(w.b.build().appends).toEqual([]);
    expect(w.b.conflicts).toEqual([
      expect.objectContaining({
        field_id: 'owner',
        expected: 'Ana',
        current: 'Ben',
        updated_by: 'usr_b',
      }),
    ]);
  });

  it('given an edit of a record that is gone, skips it', () => {
    const g = givenUndoBase();
    const [edit] = change(g, [
      { op: 'set', record_id: 'r1', field_id: 'owner', from: null, to: 'Ana' },
    ]);
    const w = undoWork(g);
    const event = asEvent(edit, 'RecordUpdated');
    undoRecordUpdated(w, edit, { ...event, data: { ...event.data, record_id: 'r_gone' } });
    expect(w.skipped).toEqual([
      { position: edit.position, type: 'RecordUpdated', reason: 'the record no longer exists' },
    ]);
  });

  it('given a creation, archives the record; given an archive, brings it back', () => {
    const g = givenUndoBase();
    const [created] = change(g, [{ op: 'create', table_id: 'tbl', record_id: 'r2', values: {} }]);
    const w = undoWork(g);
    undoRecordCreated(w, asEvent(created, 'RecordCreated'));
    expect(eventsOf(w.b.build()).map((e) => e.type)).toEqual(['RecordArchived']);
    const [archived] = change(g, [{ op: 'archive', record_id: 'r2' }]);
    const w2 = undoWork(g);
    undoRecordArchived(w2, asEvent(archived, 'RecordArchived'));
    expect(eventsOf(w2.b.build()).map((e) => e.type)).toEqual(['RecordUnarchived']);
  });

  it('given a record already in the state the undo wants, emits nothing but counts it reversed', () => {
    const g = givenUndoBase();
    const [created] = change(g, [{ op: 'create', table_id: 'tbl', record_id: 'r2', values: {} }]);
    change(g, [{ op: 'archive', record_id: 'r2' }]);
    const w = undoWork(g);
    undoRecordCreated(w, asEvent(created, 'RecordCreated'));
    expect(w.b.build().appends).toEqual([]);
    expect(w.reversed).toBe(1);
  });
});
