import { type RecordedEvent } from '@crm/events';
import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { decideRemoveField } from '../table/decide/remove-field.decide';
import { decideRetypeField } from '../table/decide/retype-field.decide';
import { decideRenameField } from '../table/decide/rename-field.decide';
import { canonicalBase } from './canonical';
import { decideUndo } from './undo.decide';
import { Given } from '../testing/given-when-then';

function base(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl',
        name: 'Investors',
        fields: [
          { id: 'name', name: 'Name', type: 'text' },
          { id: 'owner', name: 'Owner', type: 'text' },
          { id: 'size', name: 'Size', type: 'text' },
        ],
      },
      ctx,
    ),
  );
  return g;
}
const change = (
  g: Given,
  changes: Parameters<typeof decideChanges>[0]['changes'],
  actor = 'usr_a',
) => g.apply((ctx) => decideChanges({ changes, at: g.now, actor_id: actor }, ctx), actor);
const undo = (g: Given, events: RecordedEvent[], actor = 'usr_a') =>
  decideUndo({ events, at: g.now, actor_id: actor }, g.ctx);

describe('decideUndo', () => {
  it('given an edit, when undone, then the cell goes back with from and to swapped', () => {
    const g = base();
    change(g, [{ op: 'create', table_id: 'tbl', record_id: 'r1', values: { name: 'Acme' } }]);
    const edit = change(g, [
      { op: 'set', record_id: 'r1', field_id: 'owner', from: null, to: 'Ana' },
    ]);
    const d = undo(g, edit);
    expect(d.conflicts).toEqual([]);
    expect(d.appends).toEqual([
      {
        stream_id: 'record-r1',
        expected_version: 2,
        events: [
          {
            type: 'RecordUpdated',
            data: {
              table_id: 'tbl',
              record_id: 'r1',
              changes: [{ field_id: 'owner', from: 'Ana', to: null }],
            },
          },
        ],
      },
    ]);
  });

  it('given a cell changed again by someone else, when the first edit is undone, then it is a conflict and nothing is appended', () => {
    const g = base();
    change(g, [{ op: 'create', table_id: 'tbl', record_id: 'r1', values: { name: 'Acme' } }]);
    const mine = change(g, [
      { op: 'set', record_id: 'r1', field_id: 'owner', from: null, to: 'Ana' },
    ]);
    change(g, [{ op: 'set', record_id: 'r1', field_id: 'owner', from: 'Ana', to: 'Ben' }], 'usr_b');
    const d = undo(g, mine);
    expect(d.appends).toEqual([]);
    expect(d.conflicts).toEqual([
      expect.objectContaining({
        record_id: 'r1',
        field_id: 'owner',
        expected: 'Ana',
        current: 'Ben',
        updated_by: 'usr_b',
      }),
    ]);
  });

  it('given two edits of one cell in a batch, when the batch is undone, then the cell returns to the value before the batch', () => {
    const g = base();
    change(g, [{ op: 'create', table_id: 'tbl', record_id: 'r1', values: { owner: 'Zed' } }]);
    const batch = [
      ...change(g, [{ op: 'set', record_id: 'r1', field_id: 'owner', from: 'Zed', to: 'Ana' }]),
      ...change(g, [{ op: 'set', record_id: 'r1', field_id: 'owner', from: 'Ana', to: 'Ben' }]),
    ];
    g.apply(undo(g, batch));
    expect(g.state.records.get('r1')!.values.owner).toBe('Zed');
  });

  it('archives created records, brings back archived ones, and re-archives unarchived ones', () => {
    const g = base();
    const created = change(g, [
      { op: 'create', table_id: 'tbl', record_id: 'r1', values: {} },
      { op: 'create', table_id: 'tbl', record_id: 'r2', values: {} },
    ]);
    const archived = change(g, [{ op: 'archive', record_id: 'r2' }]);
    g.apply(undo(g, archived));
    expect(g.state.records.get('r2')!.archived).toBe(false);
    g.apply(undo(g, created));
    expect([...g.state.records.values()].map((r) => r.archived)).toEqual([true, true]);
  });

  it('undoing a field removal brings the field and every value back', () => {
    const g = base();
    change(g, [
      { op: 'create', table_id: 'tbl', record_id: 'r1', values: { name: 'A', owner: 'Ana' } },
      { op: 'create', table_id: 'tbl', record_id: 'r2', values: { name: 'B', owner: 'Ben' } },
    ]);
    const before = canonicalBase(g.state);
    const removed = g.apply((ctx) => decideRemoveField({ field_id: 'owner' }, ctx));
    expect(g.state.records.get('r1')!.values.owner).toBeUndefined();
    g.apply(undo(g, removed));
    expect(canonicalBase(g.state)).toBe(before);
  });

  it('undoing a retype with its converted values restores the old type and the exact old values', () => {
    const g = base();
    change(g, [
      { op: 'create', table_id: 'tbl', record_id: 'r1', values: { size: '$2,500,000' } },
      { op: 'create', table_id: 'tbl', record_id: 'r2', values: { size: 'a lot' } },
    ]);
    const before = canonicalBase(g.state);
    const retyped = g.apply((ctx) =>
      decideRetypeField({ field_id: 'size', type: 'currency' }, ctx),
    );
    expect(g.state.records.get('r1')!.values.size).toBe(2_500_000);
    g.apply(undo(g, retyped));
    expect(canonicalBase(g.state)).toBe(before);
    expect(g.state.tables.get('tbl')!.fields.find((f) => f.id === 'size')!.type).toBe('text');
  });

  it('undoing a rename renames back unless the field was renamed again since', () => {
    const g = base();
    const renamed = g.apply((ctx) =>
      decideRenameField({ field_id: 'owner', name: 'Partner' }, ctx),
    );
    g.apply(undo(g, renamed));
    expect(g.state.tables.get('tbl')!.fields.find((f) => f.id === 'owner')!.name).toBe('Owner');
    const again = g.apply((ctx) =>
      decideRenameField({ field_id: 'owner', name: 'Lead partner' }, ctx),
    );
    g.apply((ctx) => decideRenameField({ field_id: 'owner', name: 'Coverage' }, ctx));
    const d = undo(g, again);
    expect(d.appends).toEqual([]);
    expect(d.skipped[0].reason).toMatch(/renamed again/);
  });

  it('undoing the undo (redo) gives the edit back', () => {
    const g = base();
    change(g, [{ op: 'create', table_id: 'tbl', record_id: 'r1', values: {} }]);
    const edit = change(g, [
      { op: 'set', record_id: 'r1', field_id: 'owner', from: null, to: 'Ana' },
    ]);
    const undone = g.apply(undo(g, edit));
    g.apply(undo(g, undone));
    expect(g.state.records.get('r1')!.values.owner).toBe('Ana');
  });

  it('skips what cannot be undone, such as creating a table', () => {
    const g = Given.empty();
    const created = g.apply((ctx) =>
      decideCreateTable(
        { table_id: 't', name: 'T', fields: [{ id: 'f', name: 'F', type: 'text' }] },
        ctx,
      ),
    );
    const d = undo(g, created);
    expect(d.appends).toEqual([]);
    expect(d.skipped).toEqual([
      { position: 1, type: 'TableCreated', reason: 'this kind of change cannot be undone' },
    ]);
  });
});
