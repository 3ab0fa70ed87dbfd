import { decideChanges } from '../../record/decide/apply-changes.decide';
import { domainErrorOf } from '../../testing/domain-error-of';
import { Given } from '../../testing/given-when-then';
import { decideCreateTable } from './create-table.decide';
import { decideRemoveField } from './remove-field.decide';

function givenTable(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_inv',
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          {
            id: 'fld_stage',
            name: 'Stage',
            type: 'single_select',
            options: { choices: ['Lead'] },
            role: 'investor.stage',
          },
        ],
      },
      ctx,
    ),
  );
  return g;
}

describe('decideRemoveField', () => {
  it('removes a field, carrying its whole definition so it can be restored', () => {
    const g = givenTable();
    const d = decideRemoveField({ field_id: 'fld_stage' }, g.ctx);
    expect(d.appends).toEqual([
      {
        stream_id: 'table-tbl_inv',
        expected_version: 1,
        events: [
          {
            type: 'FieldRemoved',
            data: {
              table_id: 'tbl_inv',
              field: {
                id: 'fld_stage',
                name: 'Stage',
                type: 'single_select',
                options: { choices: [{ name: 'Lead' }] },
                role: 'investor.stage',
              },
              values: {},
            },
          },
        ],
      },
    ]);
    g.apply(d);
    expect(g.state.tables.get('tbl_inv')?.fields.map((f) => f.id)).toEqual(['fld_name']);
  });

  it("takes the field's values out of the records, while the log keeps them", () => {
    const g = givenTable();
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            { op: 'create', table_id: 'tbl_inv', record_id: 'rec_1', values: { fld_name: 'Acme' } },
          ],
          at: g.now,
          actor_id: 'usr_test',
        },
        ctx,
      ),
    );
    g.apply((ctx) =>
      decideChanges(
        {
          changes: [
            { op: 'set', record_id: 'rec_1', field_id: 'fld_stage', from: null, to: 'Lead' },
          ],
          at: g.now,
          actor_id: 'usr_test',
        },
        ctx,
      ),
    );
    expect(g.state.records.get('rec_1')).toMatchObject({
      values: { fld_name: 'Acme', fld_stage: 'Lead' },
      cells: { fld_stage: expect.anything() },
    });
    g.apply((ctx) => decideRemoveField({ field_id: 'fld_stage' }, ctx));
    const record = g.state.records.get('rec_1')!;
    expect(record.values).toEqual({ fld_name: 'Acme' });
    expect(record.cells).toEqual({});
    expect(g.store.readStream('table-tbl_inv').at(-1)!.data).toMatchObject({
      values: { rec_1: 'Lead' },
    });
    expect(g.store.readStream('record-rec_1').map((e) => e.data)).toContainEqual({
      table_id: 'tbl_inv',
      record_id: 'rec_1',
      changes: [{ field_id: 'fld_stage', from: null, to: 'Lead' }],
    });
  });

  it('refuses the primary field', () => {
    const err = domainErrorOf(() => decideRemoveField({ field_id: 'fld_name' }, givenTable().ctx));
    expect(err.code).toBe('validation');
    expect(err.message).toBe('the primary field cannot be removed');
  });

  it('refuses an unknown field with not_found', () => {
    const g = givenTable();
    g.apply((ctx) => decideRemoveField({ field_id: 'fld_stage' }, ctx));
    const err = domainErrorOf(() => decideRemoveField({ field_id: 'fld_stage' }, g.ctx));
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('field fld_stage does not exist');
  });
});
