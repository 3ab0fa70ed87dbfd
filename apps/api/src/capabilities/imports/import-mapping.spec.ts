import { DomainError, inferColumn, type TableState } from '@crm/domain';
import { applyMappingPatch, type ColumnInfo, defaultMapping } from './import-mapping';

const column = (name: string, index: number, values: string[]): ColumnInfo => ({
  name,
  index,
  ...inferColumn(name, values),
});
const table: TableState = {
  id: 'tbl_inv',
  name: 'Investors',
  role: null,
  primary_field_id: 'fld_name',
  version: 1,
  fields: [
    { id: 'fld_name', name: 'Name', type: 'text', options: {}, role: null },
    {
      id: 'fld_amount',
      name: 'Target',
      type: 'currency',
      options: { symbol: '$', precision: 0 },
      role: null,
    },
    { id: 'fld_created', name: 'Created', type: 'created_time', options: {}, role: null },
  ],
};
let n = 0;
const ids = () => `fld_new${++n}`;
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('import mapping', () => {
  const columns = [
    column(' name ', 0, ['Acme']),
    column('Target', 1, ['$5.00']),
    column('Created', 2, ['2026-01-01']),
    column('Anchor', 3, ['checked', '']),
  ];

  it('maps columns to fields of the same name, skips computed ones, and adds the rest as new fields of their type', () => {
    expect(
      defaultMapping(columns, table, ids).map((c) => [
        c.column,
        c.action,
        c.field_id,
        c.new_field?.type ?? null,
      ]),
    ).toEqual([
      [' name ', 'field', 'fld_name', null],
      ['Target', 'field', 'fld_amount', null],
      ['Created', 'skip', 'fld_created', null],
      ['Anchor', 'new', expect.stringMatching(/^fld_new/), 'checkbox'],
    ]);
  });

  it('makes a new table’s first column a primary field people can type into', () => {
    const mapping = defaultMapping(
      [column('Deck', 0, ['a.pdf (https://x.example/a)']), column('Name', 1, ['A'])],
      null,
      ids,
    );
    expect(mapping.map((c) => c.new_field!.type)).toEqual(['text', 'text']);
  });

  it('adds a list column whose names are records of another table as a link to it', () => {
    const funds = {
      ...column('Funds', 1, ['Fund I,Fund II', 'Fund II', 'Fund I,Fund III']),
      link_to: { table_id: 'tbl_funds', table_name: 'Funds' },
    };
    const mapping = defaultMapping([column('Deal', 0, ['A', 'B', 'C']), funds], null, ids);
    expect(mapping[1].new_field).toEqual({
      name: 'Funds',
      type: 'link',
      options: { table_id: 'tbl_funds' },
    });
  });

  it('patches a column to a field, a new field or skip, keeping a new field’s id across changes', () => {
    const start = defaultMapping(columns, table, ids);
    const anchorId = start[3].field_id;
    const next = applyMappingPatch(
      start,
      {
        Anchor: { new_field: { type: 'text', name: 'Anchor note' } },
        Target: 'skip',
        ' name ': { date_order: 'dmy' },
      },
      table,
      () => true,
      ids,
    );
    expect(next[3]).toMatchObject({
      action: 'new',
      field_id: anchorId,
      new_field: { name: 'Anchor note', type: 'text' },
    });
    expect(next[1].action).toBe('skip');
    expect(next[0].format.date_order).toBe('dmy');
  });

  it('refuses what cannot be imported, naming the column', () => {
    const start = defaultMapping(columns, table, ids);
    expect(
      errorOf(() => applyMappingPatch(start, { Nope: 'skip' }, table, () => true, ids)).message,
    ).toMatch(/no column “Nope”/);
    expect(
      errorOf(() =>
        applyMappingPatch(start, { Anchor: { field_id: 'fld_created' } }, table, () => true, ids),
      ).message,
    ).toMatch(/filled in by the system/);
    expect(
      errorOf(() =>
        applyMappingPatch(start, { Anchor: { field_id: 'fld_name' } }, table, () => true, ids),
      ).message,
    ).toMatch(/both fill the same field/);
    expect(
      errorOf(() =>
        applyMappingPatch(
          start,
          { Anchor: { new_field: { type: 'text', name: 'target' } } },
          table,
          () => true,
          ids,
        ),
      ).message,
    ).toMatch(/a field named “Target” already exists/);
    expect(
      errorOf(() =>
        applyMappingPatch(
          start,
          { Anchor: { new_field: { type: 'formula' } } },
          table,
          () => true,
          ids,
        ),
      ).message,
    ).toMatch(/new_field.type must be one of/);
    expect(
      errorOf(() =>
        applyMappingPatch(
          start,
          { Anchor: { new_field: { type: 'link', options: {} } } },
          table,
          () => false,
          ids,
        ),
      ).message,
    ).toMatch(/table_id must name an existing table/);
    expect(
      errorOf(() =>
        applyMappingPatch(start, { Anchor: { time_zone: 'Mars/Olympus' } }, table, () => true, ids),
      ).message,
    ).toMatch(/IANA time zone/);
    expect(
      errorOf(() =>
        applyMappingPatch(
          start,
          { Anchor: { field_id: 'fld_amount', skip: true } },
          table,
          () => true,
          ids,
        ),
      ).message,
    ).toMatch(/one of field_id, new_field or skip/);
  });
});
