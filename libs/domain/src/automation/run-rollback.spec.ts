import { type RecordState } from '../record/record.state';
import { planRollback } from './run-rollback';

const record = (values: Record<string, unknown>, by = 'usr_ben'): RecordState =>
  ({
    id: 'rec_1',
    table_id: 'tbl_inv',
    values,
    archived: false,
    version: 3,
    created_at: '2026-01-01T00:00:00.000Z',
    created_by: 'usr_ann',
    updated_at: '2026-01-02T00:00:00.000Z',
    updated_by: by,
    cells: { fld_owner: { at: '2026-01-02T00:00:00.000Z', by } },
  }) as RecordState;

const effects = [
  { record_id: 'rec_1', what: 'lists (move graveyard)', from: ['main'], to: ['graveyard'] },
  { record_id: 'rec_1', what: 'field fld_owner', from: 'Ana', to: 'Nobody' },
  { record_id: 'rec_1', what: 'field fld_step', from: null, to: 'None' },
  { record_id: 'rec_1', what: 'note', from: null, to: 'moved' },
];

describe('planRollback', () => {
  it('given a run nobody touched since, reverses every effect, newest first (notes stay)', () => {
    const plan = planRollback(effects, {
      record: () => record({ fld_owner: 'Nobody', fld_step: 'None' }),
      membership: () => ({ lists: new Set(['graveyard']), version: 2 }),
    });
    expect(plan).toEqual({
      cells: [
        { record_id: 'rec_1', field_id: 'fld_step', from: 'None', to: null },
        { record_id: 'rec_1', field_id: 'fld_owner', from: 'Nobody', to: 'Ana' },
      ],
      lists: [
        { record_id: 'rec_1', list: 'graveyard', op: 'remove' },
        { record_id: 'rec_1', list: 'main', op: 'add' },
      ],
      later_edits: [],
    });
  });

  it('given a later edit by a person, keeps it and lists it; with overwrite, takes it back too', () => {
    const state = {
      record: () => record({ fld_owner: 'Ben', fld_step: 'None' }),
      membership: () => ({ lists: new Set(['graveyard']), version: 2 }),
    };
    const kept = planRollback(effects, state);
    expect(kept.cells.map((c) => c.field_id)).toEqual(['fld_step']);
    expect(kept.later_edits).toEqual([
      {
        record_id: 'rec_1',
        what: 'field fld_owner',
        run_left: 'Nobody',
        current: 'Ben',
        updated_by: 'usr_ben',
        updated_at: '2026-01-02T00:00:00.000Z',
      },
    ]);
    const overwritten = planRollback(effects, state, true);
    expect(overwritten.cells).toContainEqual({
      record_id: 'rec_1',
      field_id: 'fld_owner',
      from: 'Ben',
      to: 'Ana',
    });
  });

  it('given an archived record, leaves it alone', () => {
    const plan = planRollback(effects, {
      record: () => ({ ...record({}), archived: true }),
      membership: () => ({ lists: new Set(), version: 0 }),
    });
    expect(plan).toEqual({ cells: [], lists: [], later_edits: [] });
  });
});
