import { domainErrorOf } from '../../testing/domain-error-of';
import { Given } from '../../testing/given-when-then';
import { decideCreateTable } from './create-table.decide';
import { decideRenameField } from './rename-field.decide';

function givenTable(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_inv',
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_stage', name: 'Stage', type: 'text' },
        ],
      },
      ctx,
    ),
  );
  return g;
}

describe('decideRenameField', () => {
  it('renames, carrying the old and the new name', () => {
    const g = givenTable();
    const d = decideRenameField({ field_id: 'fld_stage', name: ' Pipeline stage ' }, g.ctx);
    expect(d.appends).toEqual([
      {
        stream_id: 'table-tbl_inv',
        expected_version: 1,
        events: [
          {
            type: 'FieldRenamed',
            data: {
              table_id: 'tbl_inv',
              field_id: 'fld_stage',
              from: 'Stage',
              to: 'Pipeline stage',
            },
          },
        ],
      },
    ]);
    g.apply(d);
    expect(g.state.tables.get('tbl_inv')?.fields.map((f) => f.name)).toEqual([
      'Name',
      'Pipeline stage',
    ]);
  });

  it.each(['Stage', '  Stage  '])('is a no-op when the name stays the same: %j', (name) => {
    expect(decideRenameField({ field_id: 'fld_stage', name }, givenTable().ctx)).toEqual({
      appends: [],
      conflicts: [],
    });
  });

  it('takes a change of case of its own name', () => {
    expect(
      decideRenameField({ field_id: 'fld_stage', name: 'STAGE' }, givenTable().ctx).appends[0]
        .events,
    ).toEqual([
      {
        type: 'FieldRenamed',
        data: { table_id: 'tbl_inv', field_id: 'fld_stage', from: 'Stage', to: 'STAGE' },
      },
    ]);
  });

  it('refuses the name of another field, ignoring case', () => {
    const err = domainErrorOf(() =>
      decideRenameField({ field_id: 'fld_stage', name: 'name' }, givenTable().ctx),
    );
    expect(err.code).toBe('validation');
    expect(err.message).toBe('a field named "Name" already exists in this table');
  });

  it('refuses an empty name', () => {
    expect(
      domainErrorOf(() =>
        decideRenameField({ field_id: 'fld_stage', name: '   ' }, givenTable().ctx),
      ).code,
    ).toBe('validation');
  });

  it('refuses an unknown field with not_found', () => {
    const err = domainErrorOf(() =>
      decideRenameField({ field_id: 'fld_nope', name: 'X' }, givenTable().ctx),
    );
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('field fld_nope does not exist');
  });
});
