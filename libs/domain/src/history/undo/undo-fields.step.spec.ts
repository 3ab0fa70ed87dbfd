import { decideAddField } from '../../table/decide/add-field.decide';
import { decideRemoveField } from '../../table/decide/remove-field.decide';
import { decideRenameField } from '../../table/decide/rename-field.decide';
import { decideRetypeField } from '../../table/decide/retype-field.decide';
import { asEvent, change, givenUndoBase, undoWork } from '../../testing/given-undo';
import { eventsOf } from '../../testing/given-when-then';
import {
  freeName,
  undoFieldAdded,
  undoFieldRemoved,
  undoFieldRenamed,
  undoFieldRetyped,
} from './undo-fields.step';

describe('undo of field events', () => {
  it('given an added field, removes it with the values it holds', () => {
    const g = givenUndoBase();
    const [added] = g.apply((ctx) =>
      decideAddField({ table_id: 'tbl', field: { id: 'city', name: 'City', type: 'text' } }, ctx),
    );
    change(g, [{ op: 'set', record_id: 'r1', field_id: 'city', from: null, to: 'Zurich' }]);
    const w = undoWork(g);
    undoFieldAdded(w, asEvent(added, 'FieldAdded'));
    const [removed] = eventsOf(w.b.build());
    expect(removed.type).toBe('FieldRemoved');
    expect((removed.data as { values: unknown }).values).toEqual({ r1: 'Zurich' });
  });

  it('given a removed field, adds it back and then its values', () => {
    const g = givenUndoBase();
    change(g, [{ op: 'set', record_id: 'r1', field_id: 'owner', from: null, to: 'Ana' }]);
    const [removed] = g.apply((ctx) => decideRemoveField({ field_id: 'owner' }, ctx));
    const w = undoWork(g);
    undoFieldRemoved(w, asEvent(removed, 'FieldRemoved'));
    expect(eventsOf(w.b.build()).map((e) => e.type)).toEqual(['FieldAdded', 'RecordUpdated']);
  });

  it('given a rename, renames back; given a rename renamed again since, skips it', () => {
    const g = givenUndoBase();
    const [renamed] = g.apply((ctx) =>
      decideRenameField({ field_id: 'owner', name: 'Partner' }, ctx),
    );
    const w = undoWork(g);
    undoFieldRenamed(w, renamed, asEvent(renamed, 'FieldRenamed'));
    expect(eventsOf(w.b.build())[0].data).toEqual({
      table_id: 'tbl',
      field_id: 'owner',
      from: 'Partner',
      to: 'Owner',
    });
    g.apply((ctx) => decideRenameField({ field_id: 'owner', name: 'Coverage' }, ctx));
    const w2 = undoWork(g);
    undoFieldRenamed(w2, renamed, asEvent(renamed, 'FieldRenamed'));
    expect(w2.skipped.map((s) => s.reason)).toEqual([
      'the field was renamed again since (now "Coverage")',
    ]);
  });

  it('given a retype, retypes back; given a retype changed again since, skips it', () => {
    const g = givenUndoBase();
    const [retyped] = g.apply((ctx) =>
      decideRetypeField({ field_id: 'owner', type: 'email' }, ctx),
    );
    const w = undoWork(g);
    undoFieldRetyped(w, retyped, asEvent(retyped, 'FieldRetyped'));
    expect(eventsOf(w.b.build())[0].data).toMatchObject({ to: { type: 'text' } });
    g.apply((ctx) => decideRetypeField({ field_id: 'owner', type: 'url' }, ctx));
    const w2 = undoWork(g);
    undoFieldRetyped(w2, retyped, asEvent(retyped, 'FieldRetyped'));
    expect(w2.skipped.map((s) => s.reason)).toEqual(['the field changed type again since']);
  });

  it('gives a field coming back the first free name', () => {
    const table = givenUndoBase().ctx.table('tbl')!;
    expect(freeName(table, 'City')).toBe('City');
    expect(freeName(table, 'owner')).toBe('owner (2)');
  });
});
