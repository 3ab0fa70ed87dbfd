import { commitCommand, givenImportTables } from '../../testing/given-import-commit';
import { eventsOf } from '../../testing/given-when-then';
import { decideImportSlice, sliceImport } from './slice-import';

const creates = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    record_id: `rec_n${from + i}`,
    line: from + i + 2,
    values: { fld_name: `LP ${from + i}` },
  }));

describe('sliceImport', () => {
  it('given no more records than a slice holds, keeps the command whole', () => {
    const cmd = commitCommand({ creates: creates(3) });
    expect(sliceImport(cmd, 3)).toEqual([cmd]);
  });

  it('given more, cuts linked records, creates and updates in order; the schema only in the first', () => {
    const cmd = commitCommand({
      new_fields: [{ id: 'fld_city', name: 'City', type: 'text' }],
      link_creates: [{ table_id: 'tbl_fund', record_id: 'rec_f2', name: 'Fund II', line: 2 }],
      creates: creates(3),
      updates: [{ record_id: 'rec_acme', line: 9, changes: [] }],
    });
    const slices = sliceImport(cmd, 2);
    expect(
      slices.map((s) => [
        s.new_fields.length,
        s.link_creates.map((x) => x.record_id),
        s.creates.map((x) => x.record_id),
        s.updates.map((x) => x.record_id),
      ]),
    ).toEqual([
      [1, ['rec_f2'], ['rec_n0'], []],
      [0, [], ['rec_n1', 'rec_n2'], []],
      [0, [], [], ['rec_acme']],
    ]);
  });

  it('given a row linking to a record a later slice makes, keeps the command whole', () => {
    const rows = creates(3);
    const cmd = commitCommand({
      link_creates: [],
      creates: [rows[0], rows[1], { ...rows[2], values: { fld_fund: ['rec_f9'] } }],
    });
    const backwards = commitCommand({
      link_creates: [{ table_id: 'tbl_fund', record_id: 'rec_f9', name: 'Fund IX', line: 2 }],
      creates: rows.map((r) => ({ ...r, values: { fld_fund: ['rec_f9'] } })),
    });
    expect(sliceImport(cmd, 2)).toHaveLength(2);
    expect(sliceImport(backwards, 2)).toHaveLength(2);
    const ahead = commitCommand({
      creates: [{ ...rows[0], values: { fld_fund: ['rec_n2'] } }, rows[1], rows[2]],
    });
    expect(sliceImport(ahead, 2)).toEqual([ahead]);
  });
});

describe('decideImportSlice (a slice of an import under way)', () => {
  it('given a cell changed since the plan, keeps the newer value, writes the rest and reports it', () => {
    const g = givenImportTables();
    const slice = commitCommand({
      creates: creates(1),
      updates: [
        {
          record_id: 'rec_acme',
          line: 5,
          changes: [
            { field_id: 'fld_name', from: 'Old name', to: 'New name' },
            { field_id: 'fld_stage', from: null, to: 'Lead' },
          ],
        },
      ],
    });
    const d = decideImportSlice(slice, g.ctx);
    expect(d.conflicts.map((c) => [c.record_id, c.field_id, c.current])).toEqual([
      ['rec_acme', 'fld_name', 'Acme'],
    ]);
    expect(eventsOf(d).map((e) => e.type)).toEqual(['RecordCreated', 'RecordUpdated']);
    expect(eventsOf(d)[1].data).toMatchObject({
      changes: [{ field_id: 'fld_stage', from: null, to: 'Lead' }],
    });
    expect([d.created, d.updated, d.skipped]).toEqual([1, 1, []]);
  });

  it('given a record deleted since the plan, leaves that record out and writes the others', () => {
    const g = givenImportTables();
    const slice = commitCommand({
      creates: creates(2),
      updates: [{ record_id: 'rec_gone', line: 7, changes: [] }],
    });
    const d = decideImportSlice(slice, g.ctx);
    expect(eventsOf(d).map((e) => e.data)).toMatchObject([
      { record_id: 'rec_n0' },
      { record_id: 'rec_n1' },
    ]);
    expect(d.skipped).toEqual([
      { line: 7, record_id: 'rec_gone', reason: 'not_found', message: expect.any(String) },
    ]);
    expect(d.created).toBe(2);
  });
});
