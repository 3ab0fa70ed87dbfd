import { PLAN_FIELDS as F, planInput, record } from '../../testing/given-plan-input';
import { checkMapping } from './check-mapping.step';
import { matchRows } from './match-rows.step';
import { MissingLinks } from './missing-links';
import { readCells } from './read-cells.step';
import { settleValues } from './settle-values.step';

const RECORDS = [
  record('rec_a', { fld_name: 'Acme', fld_email: 'a@acme.io' }),
  record('rec_b1', { fld_name: 'Twin', fld_email: 'twin@x.io' }),
  record('rec_b2', { fld_name: 'Twin', fld_email: 'twin2@x.io' }),
];

function match(rows: string[][], merge: number[]) {
  const input = planInput([F.name, F.email], rows, { merge_columns: merge });
  const { mapped, unread, keyCols } = checkMapping(input);
  const read = readCells(input, mapped, unread);
  const fields = mapped.map((c) => c.field);
  settleValues(read.rows, fields, new MissingLinks(read.rows));
  return { ...matchRows(read.rows, fields, keyCols, RECORDS), rows: read.rows };
}

describe('matchRows (step 5 of planImport)', () => {
  it('given no merge key, matches nothing', () => {
    expect(match([['Acme', 'a@acme.io']], []).rowRecord).toEqual([null]);
  });

  it('given a key, matches the record that has it (email ignoring case), else none', () => {
    const { rowRecord, rows } = match(
      [
        ['Acme', 'A@ACME.io'],
        ['New', 'new@x.io'],
      ],
      [1],
    );
    expect(rowRecord).toEqual(['rec_a', null]);
    expect(rows.errors).toEqual([]);
  });

  it('given an empty key, a repeated key and a key of several records, each is a row error', () => {
    const { rowRecord, rows } = match(
      [
        ['Acme', ''],
        ['Acme', 'a@acme.io'],
        ['Again', 'a@acme.io'],
        ['Twin', 'twin@x.io'],
      ],
      [0],
    );
    expect(rowRecord).toEqual(['rec_a', null, null, null]);
    expect(rows.errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'the same merge key (Name) as line 2'],
      [5, 'matches several records of the table by Name; make the key unique first'],
    ]);
  });

  it('given a key of two parts, warns about rows that leave a part empty', () => {
    const { rowRecord, warnings } = match([['Acme', '']], [0, 1]);
    expect(rowRecord).toEqual([null]);
    expect(warnings).toEqual([
      {
        line: null,
        column: 'Email',
        message:
          '1 row(s) have no Email, a part of the merge key (Name, Email): each matches only a record whose Email is empty too',
      },
    ]);
  });

  it('given a key that is empty in every part, is a row error', () => {
    const { rows } = match([['x', '']], [1]);
    expect(rows.errors.map((e) => e.message)).toEqual([
      'the merge key (Email) is empty, so the row could never be matched again',
    ]);
  });
});
