import { type ChangeOp, decideChanges } from '../../record/decide/apply-changes.decide';
import { domainErrorOf } from '../../testing/domain-error-of';
import { eventsOf, Given } from '../../testing/given-when-then';
import { decideCreateTable } from './create-table.decide';
import { decideRetypeField } from './retype-field.decide';

const T = 'tbl_inv';

function givenTable(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: T,
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_amt', name: 'Amount', type: 'text' },
          {
            id: 'fld_stage',
            name: 'Stage',
            type: 'single_select',
            options: { choices: ['Lead', 'Engaged', 'Committed'] },
          },
          { id: 'fld_size', name: 'Size', type: 'number' },
        ],
      },
      ctx,
    ),
  );
  return g;
}

const changes = (g: Given, list: ChangeOp[]) =>
  g.apply((ctx) => decideChanges({ changes: list, at: g.now, actor_id: 'usr_test' }, ctx));
const create = (record_id: string, values: Record<string, unknown>): ChangeOp => ({
  op: 'create',
  table_id: T,
  record_id,
  values,
});

describe('decideRetypeField', () => {
  it('converts every stored value; the ones that cannot convert are listed and cleared, their old value kept as `from`', () => {
    const g = givenTable();
    changes(g, [
      create('rec_1', { fld_amt: '$1,000' }),
      create('rec_2', { fld_amt: 'abc' }),
      create('rec_3', { fld_name: 'No amount' }),
      create('rec_4', { fld_amt: '2500' }),
    ]);
    changes(g, [{ op: 'archive', record_id: 'rec_4' }]);
    const d = decideRetypeField({ field_id: 'fld_amt', type: 'number' }, g.ctx);
    expect(d.appends).toEqual([
      {
        stream_id: 'table-tbl_inv',
        expected_version: 1,
        events: [
          {
            type: 'FieldRetyped',
            data: {
              table_id: T,
              field_id: 'fld_amt',
              from: { type: 'text', options: {} },
              to: { type: 'number', options: { precision: 0 } },
              unconverted: [{ record_id: 'rec_2', value: 'abc' }],
            },
          },
        ],
      },
      {
        stream_id: 'record-rec_1',
        expected_version: 1,
        events: [
          {
            type: 'RecordUpdated',
            data: {
              table_id: T,
              record_id: 'rec_1',
              changes: [{ field_id: 'fld_amt', from: '$1,000', to: 1000 }],
            },
          },
        ],
      },
      {
        stream_id: 'record-rec_2',
        expected_version: 1,
        events: [
          {
            type: 'RecordUpdated',
            data: {
              table_id: T,
              record_id: 'rec_2',
              changes: [{ field_id: 'fld_amt', from: 'abc', to: null }],
            },
          },
        ],
      },
      // archived records convert too, so that unarchiving one shows a value of the new type
      {
        stream_id: 'record-rec_4',
        expected_version: 2,
        events: [
          {
            type: 'RecordUpdated',
            data: {
              table_id: T,
              record_id: 'rec_4',
              changes: [{ field_id: 'fld_amt', from: '2500', to: 2500 }],
            },
          },
        ],
      },
    ]);
    g.apply(d);
    const s = g.state;
    expect(s.tables.get(T)?.fields.find((f) => f.id === 'fld_amt')).toEqual({
      id: 'fld_amt',
      name: 'Amount',
      type: 'number',
      options: { precision: 0 },
      role: null,
    });
    expect([...s.records.values()].map((r) => [r.id, r.values.fld_amt])).toEqual([
      ['rec_1', 1000],
      ['rec_2', null],
      ['rec_3', undefined],
      ['rec_4', 2500],
    ]);
  });

  it('given a number field, when its thousands separator is turned off, then only the option changes, stored as false', () => {
    const g = givenTable();
    changes(g, [create('rec_1', { fld_size: 2026 })]);
    const d = decideRetypeField(
      {
        field_id: 'fld_size',
        type: 'number',
        options: { precision: 0, thousands_separator: false },
      },
      g.ctx,
    );
    expect(eventsOf(d)).toEqual([
      {
        type: 'FieldRetyped',
        data: {
          table_id: T,
          field_id: 'fld_size',
          from: { type: 'number', options: { precision: 0 } },
          to: { type: 'number', options: { precision: 0, thousands_separator: false } },
          unconverted: [],
        },
      },
    ]);
    g.apply(d);
    // On again is the default: the option is left out, as in fields made before it existed.
    const back = decideRetypeField(
      {
        field_id: 'fld_size',
        type: 'number',
        options: { precision: 0, thousands_separator: true },
      },
      g.ctx,
    );
    expect(eventsOf(back)).toEqual([
      {
        type: 'FieldRetyped',
        data: {
          table_id: T,
          field_id: 'fld_size',
          from: { type: 'number', options: { precision: 0, thousands_separator: false } },
          to: { type: 'number', options: { precision: 0 } },
          unconverted: [],
        },
      },
    ]);
  });

  it('given a number field, when the thousands separator option is not true or false, then it is refused naming the option', () => {
    const err = domainErrorOf(() =>
      decideRetypeField(
        { field_id: 'fld_size', type: 'number', options: { thousands_separator: 'no' } },
        givenTable().ctx,
      ),
    );
    expect(err.code).toBe('validation');
    expect(err.details).toMatchObject({
      field: 'Size',
      option: 'thousands_separator',
      reason: 'not_a_boolean',
    });
  });

  it('appends no record event for a value that stays the same', () => {
    const g = givenTable();
    changes(g, [create('rec_1', { fld_size: 5 })]);
    expect(
      eventsOf(
        decideRetypeField(
          { field_id: 'fld_size', type: 'currency', options: { symbol: '€' } },
          g.ctx,
        ),
      ),
    ).toEqual([
      {
        type: 'FieldRetyped',
        data: {
          table_id: T,
          field_id: 'fld_size',
          from: { type: 'number', options: { precision: 0 } },
          to: { type: 'currency', options: { symbol: '€', precision: 2 } },
          unconverted: [],
        },
      },
    ]);
  });

  it('converts number to text', () => {
    const g = givenTable();
    changes(g, [create('rec_1', { fld_size: 1000.5 })]);
    const d = decideRetypeField({ field_id: 'fld_size', type: 'text' }, g.ctx);
    expect(eventsOf(d)[0].data).toMatchObject({ unconverted: [] });
    expect(eventsOf(d)[1]).toEqual({
      type: 'RecordUpdated',
      data: {
        table_id: T,
        record_id: 'rec_1',
        changes: [{ field_id: 'fld_size', from: 1000.5, to: '1000.5' }],
      },
    });
  });

  it('treats a change of options alone as a retype: values no longer among the choices are cleared', () => {
    const g = givenTable();
    changes(g, [
      create('rec_1', { fld_stage: 'Lead' }),
      create('rec_2', { fld_stage: 'Committed' }),
    ]);
    const d = decideRetypeField(
      { field_id: 'fld_stage', type: 'single_select', options: { choices: ['Lead', 'Engaged'] } },
      g.ctx,
    );
    expect(eventsOf(d)).toEqual([
      {
        type: 'FieldRetyped',
        data: {
          table_id: T,
          field_id: 'fld_stage',
          from: {
            type: 'single_select',
            options: { choices: [{ name: 'Lead' }, { name: 'Engaged' }, { name: 'Committed' }] },
          },
          to: {
            type: 'single_select',
            options: { choices: [{ name: 'Lead' }, { name: 'Engaged' }] },
          },
          unconverted: [{ record_id: 'rec_2', value: 'Committed' }],
        },
      },
      {
        type: 'RecordUpdated',
        data: {
          table_id: T,
          record_id: 'rec_2',
          changes: [{ field_id: 'fld_stage', from: 'Committed', to: null }],
        },
      },
    ]);
  });

  it('makes multiple select from comma text', () => {
    const g = givenTable();
    g.apply((ctx) => decideRetypeField({ field_id: 'fld_stage', type: 'text' }, ctx));
    changes(g, [create('rec_1', { fld_stage: 'Lead, Engaged' })]);
    const d = decideRetypeField(
      { field_id: 'fld_stage', type: 'multiple_select', options: { choices: ['Lead', 'Engaged'] } },
      g.ctx,
    );
    expect(eventsOf(d)[1]).toEqual({
      type: 'RecordUpdated',
      data: {
        table_id: T,
        record_id: 'rec_1',
        changes: [{ field_id: 'fld_stage', from: 'Lead, Engaged', to: ['Lead', 'Engaged'] }],
      },
    });
  });

  it('clears a value that cannot become a checkbox to unchecked, so the cell can be edited afterwards', () => {
    const g = givenTable();
    changes(g, [create('rec_1', { fld_amt: 'yes' }), create('rec_2', { fld_amt: 'maybe' })]);
    const d = decideRetypeField({ field_id: 'fld_amt', type: 'checkbox' }, g.ctx);
    expect(eventsOf(d)).toEqual([
      {
        type: 'FieldRetyped',
        data: {
          table_id: T,
          field_id: 'fld_amt',
          from: { type: 'text', options: {} },
          to: { type: 'checkbox', options: {} },
          unconverted: [{ record_id: 'rec_2', value: 'maybe' }],
        },
      },
      {
        type: 'RecordUpdated',
        data: {
          table_id: T,
          record_id: 'rec_1',
          changes: [{ field_id: 'fld_amt', from: 'yes', to: true }],
        },
      },
      {
        type: 'RecordUpdated',
        data: {
          table_id: T,
          record_id: 'rec_2',
          changes: [{ field_id: 'fld_amt', from: 'maybe', to: false }],
        },
      },
    ]);
    g.apply(d);
    const edit = decideChanges(
      {
        changes: [{ op: 'set', record_id: 'rec_2', field_id: 'fld_amt', from: false, to: true }],
        at: g.now,
        actor_id: 'usr_test',
      },
      g.ctx,
    );
    expect(edit.conflicts).toEqual([]);
    expect(eventsOf(edit)).toEqual([
      {
        type: 'RecordUpdated',
        data: {
          table_id: T,
          record_id: 'rec_2',
          changes: [{ field_id: 'fld_amt', from: false, to: true }],
        },
      },
    ]);
  });

  it('is a no-op when neither type nor options change', () => {
    const g = givenTable();
    changes(g, [create('rec_1', { fld_stage: 'Lead' })]);
    expect(decideRetypeField({ field_id: 'fld_amt', type: 'text' }, g.ctx)).toEqual({
      appends: [],
      conflicts: [],
    });
    expect(
      decideRetypeField(
        {
          field_id: 'fld_stage',
          type: 'single_select',
          options: { choices: [{ name: 'Lead' }, 'Engaged', 'Committed'] },
        },
        g.ctx,
      ),
    ).toEqual({ appends: [], conflicts: [] });
  });

  it('lets the primary field change to another type people type into', () => {
    const g = givenTable();
    expect(
      eventsOf(decideRetypeField({ field_id: 'fld_name', type: 'long_text' }, g.ctx)).map(
        (e) => e.type,
      ),
    ).toEqual(['FieldRetyped']);
  });

  it.each([
    ['link', { table_id: T }],
    ['created_time', {}],
  ])('refuses to make the primary field a %s field', (type, options) => {
    const err = domainErrorOf(() =>
      decideRetypeField({ field_id: 'fld_name', type, options }, givenTable().ctx),
    );
    expect(err.code).toBe('validation');
    expect(err.message).toBe('the primary field must stay one people can type into');
  });

  it('refuses an unknown type, bad options and a link to an unknown table', () => {
    const g = givenTable();
    expect(
      domainErrorOf(() => decideRetypeField({ field_id: 'fld_amt', type: 'rating' }, g.ctx))
        .message,
    ).toBe('field "Amount": unknown type "rating"');
    expect(
      domainErrorOf(() =>
        decideRetypeField(
          { field_id: 'fld_amt', type: 'number', options: { precision: -1 } },
          g.ctx,
        ),
      ).code,
    ).toBe('validation');
    expect(
      domainErrorOf(() =>
        decideRetypeField(
          { field_id: 'fld_amt', type: 'link', options: { table_id: 'tbl_nope' } },
          g.ctx,
        ),
      ).code,
    ).toBe('validation');
  });

  it('refuses an unknown field with not_found', () => {
    const err = domainErrorOf(() =>
      decideRetypeField({ field_id: 'fld_nope', type: 'text' }, givenTable().ctx),
    );
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('field fld_nope does not exist');
  });
});
