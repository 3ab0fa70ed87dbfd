import { domainErrorOf } from '../../testing/domain-error-of';
import { eventsOf, Given } from '../../testing/given-when-then';
import { decideAddField } from './add-field.decide';
import { decideCreateTable } from './create-table.decide';

function givenTables(): Given {
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
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_fund',
        name: 'Funds',
        fields: [{ id: 'fld_fname', name: 'Name', type: 'text' }],
      },
      ctx,
    ),
  );
  return g;
}

describe('decideAddField', () => {
  it("adds a field at the table's version, with canonical options", () => {
    const g = givenTables();
    const d = decideAddField(
      {
        table_id: 'tbl_inv',
        field: {
          id: 'fld_fund',
          name: ' Fund ',
          type: 'link',
          options: { table_id: 'tbl_fund', extra: true },
          role: 'investor.fund',
        },
      },
      g.ctx,
    );
    expect(d).toEqual({
      appends: [
        {
          stream_id: 'table-tbl_inv',
          expected_version: 1,
          events: [
            {
              type: 'FieldAdded',
              data: {
                table_id: 'tbl_inv',
                field: {
                  id: 'fld_fund',
                  name: 'Fund',
                  type: 'link',
                  options: { table_id: 'tbl_fund' },
                  role: 'investor.fund',
                },
              },
            },
          ],
        },
      ],
      conflicts: [],
    });
    g.apply(d);
    expect(g.state.tables.get('tbl_inv')).toMatchObject({
      version: 2,
      fields: [{ id: 'fld_name' }, { id: 'fld_stage' }, { id: 'fld_fund', name: 'Fund' }],
    });
  });

  it.each(['Stage', 'stage', ' STAGE '])(
    'refuses a name already used in the table, ignoring case: %j',
    (name) => {
      const err = domainErrorOf(() =>
        decideAddField(
          { table_id: 'tbl_inv', field: { id: 'fld_new', name, type: 'text' } },
          givenTables().ctx,
        ),
      );
      expect(err.code).toBe('validation');
      expect(err.message).toBe('a field named "Stage" already exists in this table');
    },
  );

  it('given a formula with a number result, when it is added without a thousands separator, then the option is kept with the formula', () => {
    const d = decideAddField(
      {
        table_id: 'tbl_fund',
        field: {
          id: 'fld_year',
          name: 'Year',
          type: 'formula',
          options: { formula: '2000 + 26', thousands_separator: false },
        },
      },
      givenTables().ctx,
    );
    expect(eventsOf(d)[0].data).toMatchObject({
      field: {
        options: { formula: '2000 + 26', result_type: 'number', thousands_separator: false },
      },
    });
  });

  it('takes a name used in another table', () => {
    const d = decideAddField(
      { table_id: 'tbl_fund', field: { id: 'fld_stage2', name: 'Stage', type: 'text' } },
      givenTables().ctx,
    );
    expect(d.appends[0].events[0]).toEqual({
      type: 'FieldAdded',
      data: {
        table_id: 'tbl_fund',
        field: { id: 'fld_stage2', name: 'Stage', type: 'text', options: {}, role: null },
      },
    });
  });

  it('refuses a field id used in any table', () => {
    const err = domainErrorOf(() =>
      decideAddField(
        { table_id: 'tbl_inv', field: { id: 'fld_fname', name: 'Other', type: 'text' } },
        givenTables().ctx,
      ),
    );
    expect(err.code).toBe('validation');
    expect(err.message).toBe('field id fld_fname is already used');
  });

  it('refuses an unknown table with not_found', () => {
    const err = domainErrorOf(() =>
      decideAddField(
        { table_id: 'tbl_nope', field: { id: 'fld_x', name: 'X', type: 'text' } },
        givenTables().ctx,
      ),
    );
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('table tbl_nope does not exist');
  });

  it('refuses a link to an unknown table and bad options', () => {
    const g = givenTables();
    expect(
      domainErrorOf(() =>
        decideAddField(
          {
            table_id: 'tbl_inv',
            field: { id: 'fld_x', name: 'X', type: 'link', options: { table_id: 'tbl_nope' } },
          },
          g.ctx,
        ),
      ).code,
    ).toBe('validation');
    expect(
      domainErrorOf(() =>
        decideAddField(
          {
            table_id: 'tbl_inv',
            field: { id: 'fld_x', name: 'X', type: 'number', options: { precision: 9 } },
          },
          g.ctx,
        ),
      ).message,
    ).toBe('field "X": options.precision must be a whole number from 0 to 8');
  });
});
