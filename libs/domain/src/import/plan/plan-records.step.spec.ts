import { PLAN_FIELDS as F, planInput, record } from '../../testing/given-plan-input';
import { checkMapping } from './check-mapping.step';
import { matchRows } from './match-rows.step';
import { MissingLinks } from './missing-links';
import { planRecords } from './plan-records.step';
import { readCells } from './read-cells.step';
import { settleValues } from './settle-values.step';

const RECORDS = [
  record('rec_a', { fld_name: 'Acme', fld_email: 'a@acme.io' }),
  record('rec_g', { fld_name: '=Guarded', fld_email: 'g@x.io' }),
];

function planned(rows: string[][]) {
  const input = planInput([F.email, F.name, F.stage], rows, { merge_columns: [0] });
  const { mapped, unread, keyCols } = checkMapping(input);
  const read = readCells(input, mapped, unread);
  const fields = mapped.map((c) => c.field);
  settleValues(read.rows, fields, new MissingLinks(read.rows));
  const { rowRecord } = matchRows(read.rows, fields, keyCols, RECORDS);
  return planRecords(read.rows, fields, rowRecord, RECORDS);
}

describe('planRecords (step 7 of planImport)', () => {
  it('given a row matching no record, creates one with its non-empty values', () => {
    expect(planned([['new@x.io', 'New', '']])).toEqual({
      creates: [{ line: 2, ref: 'row:2', values: { fld_email: 'new@x.io', fld_name: 'New' } }],
      updates: [],
      unchanged: 0,
      rows_with_errors: 0,
    });
  });

  it('given a matched row, changes only the cells that differ, with the value each replaces', () => {
    expect(planned([['a@acme.io', 'Acme Corp', 'Lead']]).updates).toEqual([
      {
        line: 2,
        record_id: 'rec_a',
        changes: [
          { field_id: 'fld_name', from: 'Acme', to: 'Acme Corp' },
          { field_id: 'fld_stage', from: null, to: 'Lead' },
        ],
      },
    ]);
  });

  it('given matched rows equal to their records (a guarded text too), counts them unchanged', () => {
    const plan = planned([
      ['a@acme.io', 'Acme', ''],
      ['g@x.io', "'=Guarded", ''],
    ]);
    expect(plan.updates).toEqual([]);
    expect(plan.unchanged).toBe(2);
  });

  it('given blank rows and rows with errors, leaves them out and counts the errors', () => {
    const plan = planned([
      ['', '', ''],
      ['not-an-email', 'X', ''],
    ]);
    expect(plan).toEqual({ creates: [], updates: [], unchanged: 0, rows_with_errors: 1 });
  });
});
