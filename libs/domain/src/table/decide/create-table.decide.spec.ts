import { domainErrorOf } from '../../testing/domain-error-of';
import { Given } from '../../testing/given-when-then';
import { type CreateTable, decideCreateTable, type FieldInput } from './create-table.decide';

const investors = (over: Partial<CreateTable> = {}): CreateTable => ({
  table_id: 'tbl_inv',
  name: 'Investors',
  fields: [{ id: 'fld_name', name: 'Name', type: 'text' }],
  ...over,
});
const withFields = (...fields: FieldInput[]) => investors({ fields });

describe('decideCreateTable', () => {
  it('creates a table: the first field is primary, options are canonical, names trimmed', () => {
    const d = decideCreateTable(
      {
        table_id: 'tbl_inv',
        name: '  Investors ',
        role: 'investors',
        fields: [
          { id: 'fld_name', name: ' Name ', type: 'text', role: 'investor.name' },
          {
            id: 'fld_stage',
            name: 'Stage',
            type: 'single_select',
            options: { choices: ['Lead', { name: 'Engaged', color: 'blue' }], colour: 'ignored' },
          },
          { id: 'fld_amount', name: 'Amount', type: 'currency' },
          { id: 'fld_created', name: 'Created', type: 'created_time', options: { anything: 1 } },
          { id: 'fld_parent', name: 'Parent', type: 'link', options: { table_id: 'tbl_inv' } },
        ],
      },
      Given.empty().ctx,
    );
    expect(d).toEqual({
      appends: [
        {
          stream_id: 'table-tbl_inv',
          expected_version: 0,
          events: [
            {
              type: 'TableCreated',
              data: {
                table_id: 'tbl_inv',
                name: 'Investors',
                role: 'investors',
                primary_field_id: 'fld_name',
                fields: [
                  {
                    id: 'fld_name',
                    name: 'Name',
                    type: 'text',
                    options: {},
                    role: 'investor.name',
                  },
                  {
                    id: 'fld_stage',
                    name: 'Stage',
                    type: 'single_select',
                    options: { choices: [{ name: 'Lead' }, { name: 'Engaged', color: 'blue' }] },
                    role: null,
                  },
                  {
                    id: 'fld_amount',
                    name: 'Amount',
                    type: 'currency',
                    options: { symbol: '$', precision: 2 },
                    role: null,
                  },
                  {
                    id: 'fld_created',
                    name: 'Created',
                    type: 'created_time',
                    options: {},
                    role: null,
                  },
                  {
                    id: 'fld_parent',
                    name: 'Parent',
                    type: 'link',
                    options: { table_id: 'tbl_inv' },
                    role: null,
                  },
                ],
              },
            },
          ],
        },
      ],
      conflicts: [],
    });
  });

  it('lets a link field name an existing table', () => {
    const g = Given.empty();
    g.apply((ctx) => decideCreateTable(investors(), ctx));
    const d = decideCreateTable(
      {
        table_id: 'tbl_con',
        name: 'Contacts',
        fields: [
          { id: 'fld_cname', name: 'Name', type: 'text' },
          { id: 'fld_inv', name: 'Investor', type: 'link', options: { table_id: 'tbl_inv' } },
        ],
      },
      g.ctx,
    );
    expect(d.appends[0].events[0].data).toMatchObject({
      fields: [{ id: 'fld_cname' }, { id: 'fld_inv', options: { table_id: 'tbl_inv' } }],
    });
  });

  it('refuses a link to a table that does not exist', () => {
    const err = domainErrorOf(() =>
      decideCreateTable(
        withFields(
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_x', name: 'Fund', type: 'link', options: { table_id: 'tbl_nope' } },
        ),
        Given.empty().ctx,
      ),
    );
    expect(err.code).toBe('validation');
    expect(err.message).toBe('field "Fund": options.table_id must name an existing table');
    expect(err.details).toEqual({ field: 'Fund', option: 'table_id', given: 'tbl_nope' });
  });

  it('refuses a link without a table', () => {
    expect(
      domainErrorOf(() =>
        decideCreateTable(
          withFields(
            { id: 'fld_name', name: 'Name', type: 'text' },
            { id: 'fld_x', name: 'Fund', type: 'link' },
          ),
          Given.empty().ctx,
        ),
      ).code,
    ).toBe('validation');
  });

  describe('names and ids', () => {
    const given = () => {
      const g = Given.empty();
      g.apply((ctx) => decideCreateTable(investors(), ctx));
      return g;
    };

    it.each(['Investors', 'investors', '  INVESTORS '])(
      'refuses a second table named %j',
      (name) => {
        const err = domainErrorOf(() =>
          decideCreateTable(
            { table_id: 'tbl_2', name, fields: [{ id: 'fld_2', name: 'Name', type: 'text' }] },
            given().ctx,
          ),
        );
        expect(err.code).toBe('validation');
        expect(err.message).toBe(`a table named "${name.trim()}" already exists`);
      },
    );

    it('refuses a table id already used', () => {
      const err = domainErrorOf(() =>
        decideCreateTable(
          {
            table_id: 'tbl_inv',
            name: 'Other',
            fields: [{ id: 'fld_2', name: 'Name', type: 'text' }],
          },
          given().ctx,
        ),
      );
      expect(err.code).toBe('validation');
      expect(err.message).toBe('table tbl_inv already exists');
    });

    it('refuses a field id used in another table', () => {
      const err = domainErrorOf(() =>
        decideCreateTable(
          {
            table_id: 'tbl_2',
            name: 'Other',
            fields: [{ id: 'fld_name', name: 'Name', type: 'text' }],
          },
          given().ctx,
        ),
      );
      expect(err.code).toBe('validation');
      expect(err.message).toBe('field id fld_name is already used');
    });

    it('refuses two fields with the same id', () => {
      expect(
        domainErrorOf(() =>
          decideCreateTable(
            withFields(
              { id: 'fld_a', name: 'A', type: 'text' },
              { id: 'fld_a', name: 'B', type: 'text' },
            ),
            Given.empty().ctx,
          ),
        ).message,
      ).toBe('field id fld_a is already used');
    });

    it('refuses two fields whose names differ only in case or spaces', () => {
      const err = domainErrorOf(() =>
        decideCreateTable(
          withFields(
            { id: 'fld_a', name: 'Name', type: 'text' },
            { id: 'fld_b', name: ' NAME', type: 'text' },
          ),
          Given.empty().ctx,
        ),
      );
      expect(err.code).toBe('validation');
      expect(err.message).toBe('a field named "Name" already exists in this table');
    });

    it.each([
      ['an empty table name', investors({ name: '  ' }), 'table name must be 1 to 200 characters'],
      [
        'a table name too long',
        investors({ name: 'x'.repeat(201) }),
        'table name must be 1 to 200 characters',
      ],
      [
        'a bad table id',
        investors({ table_id: 'tbl inv' }),
        "table id must be 1 to 64 letters, digits, '-' or '_'",
      ],
      [
        'a bad field id',
        withFields({ id: '', name: 'Name', type: 'text' }),
        "field id must be 1 to 64 letters, digits, '-' or '_'",
      ],
      [
        'an empty field name',
        withFields({ id: 'fld_a', name: '', type: 'text' }),
        'field name must be 1 to 200 characters',
      ],
      [
        'an unknown field type',
        withFields({ id: 'fld_a', name: 'Score', type: 'rating' }),
        'field "Score": unknown type "rating"',
      ],
      ['no fields', investors({ fields: [] }), 'a table needs at least one field'],
    ] as [string, CreateTable, string][])('refuses %s', (_label, cmd, message) => {
      const err = domainErrorOf(() => decideCreateTable(cmd, Given.empty().ctx));
      expect(err.code).toBe('validation');
      expect(err.message).toBe(message);
    });

    it('refuses more fields than a table may hold', () => {
      const fields = Array.from({ length: 501 }, (_, i) => ({
        id: `fld_${i}`,
        name: `F${i}`,
        type: 'text',
      }));
      expect(
        domainErrorOf(() => decideCreateTable(investors({ fields }), Given.empty().ctx)).message,
      ).toBe('a table has at most 500 fields');
    });
  });

  describe('the primary field', () => {
    it.each(['link', 'created_time', 'last_modified_time', 'created_by', 'last_modified_by'])(
      'cannot be a %s field',
      (type) => {
        const options = type === 'link' ? { table_id: 'tbl_inv' } : {};
        const err = domainErrorOf(() =>
          decideCreateTable(
            withFields(
              { id: 'fld_a', name: 'First', type, options },
              { id: 'fld_b', name: 'Name', type: 'text' },
            ),
            Given.empty().ctx,
          ),
        );
        expect(err.code).toBe('validation');
        expect(err.message).toBe('the primary (first) field must be one people can type into');
      },
    );

    it.each(['text', 'number', 'date', 'email', 'single_select'])('can be a %s field', (type) => {
      const d = decideCreateTable(
        withFields({ id: 'fld_a', name: 'First', type }),
        Given.empty().ctx,
      );
      expect(d.appends[0].events[0].data).toMatchObject({ primary_field_id: 'fld_a' });
    });
  });
});
