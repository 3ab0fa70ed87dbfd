import { type ImportPlan } from './plan-import.types';
import { importCommandFromPlan } from './import-command';

const plan = (over: Partial<ImportPlan>): ImportPlan => ({
  creates: [],
  updates: [],
  unchanged: 0,
  blank_rows: 0,
  rows_with_errors: 0,
  errors: [],
  warnings: [],
  new_choices: [],
  unmatched_links: [],
  link_creates: [],
  ...over,
});
const context = () => {
  let n = 0;
  return {
    import_id: 'imp_1',
    file_name: 'lps.csv',
    table_id: 'tbl_inv',
    new_table: null,
    new_fields: [],
    newRecordId: () => `rec_${++n}`,
  };
};

describe('importCommandFromPlan', () => {
  it('gives created rows ids and puts them where the plan links to a row of the file or to a name it creates', () => {
    const p = plan({
      link_creates: [
        { ref: 'new:1', table_id: 'tbl_funds', name: 'Fund I', line: 3, column: 'Fund' },
      ],
      creates: [
        {
          line: 2,
          ref: 'row:2',
          values: { fld_name: 'Acme', fld_fund: ['new:1', 'rec_known'], fld_tags: ['a'] },
        },
        { line: 3, ref: 'row:3', values: { fld_name: 'Beta', fld_parent: ['row:2'] } },
      ],
      updates: [
        {
          line: 4,
          record_id: 'rec_old',
          changes: [{ field_id: 'fld_parent', from: [], to: ['row:3'] }],
        },
      ],
    });
    const cmd = importCommandFromPlan(p, context());
    expect(cmd.link_creates).toEqual([
      { table_id: 'tbl_funds', record_id: 'rec_1', name: 'Fund I', line: 3 },
    ]);
    expect(cmd.creates).toEqual([
      {
        record_id: 'rec_2',
        line: 2,
        values: { fld_name: 'Acme', fld_fund: ['rec_1', 'rec_known'], fld_tags: ['a'] },
      },
      { record_id: 'rec_3', line: 3, values: { fld_name: 'Beta', fld_parent: ['rec_2'] } },
    ]);
    expect(Object.keys(cmd.creates[0].values)).toEqual(['fld_name', 'fld_fund', 'fld_tags']);
    expect(cmd.updates[0].changes[0].to).toEqual(['rec_3']);
  });

  it('leaves the reviewed plan as it was, so that a commit refused for a conflict can be tried again', () => {
    const p = plan({
      creates: [
        { line: 2, ref: 'row:2', values: { fld_name: 'Acme' } },
        { line: 3, ref: 'row:3', values: { fld_parent: ['row:2'] } },
      ],
    });
    const before = JSON.stringify(p);
    importCommandFromPlan(p, context());
    expect(JSON.stringify(p)).toBe(before);
    const again = importCommandFromPlan(p, context());
    expect(again.creates[1].values).toEqual({ fld_parent: ['rec_1'] });
  });

  it('refuses a link to a row that is left out of the import', () => {
    const p = plan({ creates: [{ line: 3, ref: 'row:3', values: { fld_parent: ['row:2'] } }] });
    expect(() => importCommandFromPlan(p, context())).toThrow('line 2');
  });
});
