import { field, PLAN_FIELDS as F, planInput } from '../../testing/given-plan-input';
import { checkMapping } from './check-mapping.step';
import { MissingLinks } from './missing-links';
import { readCells } from './read-cells.step';
import { settleValues } from './settle-values.step';

function settle(...args: Parameters<typeof planInput>) {
  const input = planInput(...args);
  const { mapped, unread } = checkMapping(input);
  const { rows } = readCells(input, mapped, unread);
  const missing = new MissingLinks(rows);
  const selfLinks = settleValues(
    rows,
    mapped.map((c) => c.field),
    missing,
  );
  return { rows, missing, selfLinks };
}

const CREATE = {
  create_missing_links: true,
  skip_rows_with_errors: false,
  formula_guard: 'auto',
} as const;

describe('settleValues (step 4 of planImport)', () => {
  it('given link names, turns them into the ids of the records so named', () => {
    const { rows } = settle([F.name, F.fund], [['Acme', 'Fund I']]);
    expect(rows.values[0]).toEqual(['Acme', ['rec_f1']]);
  });

  it('given a name no record has, is a row error naming the table', () => {
    const { rows, missing } = settle([F.name, F.fund], [['Acme', 'Fund II']]);
    expect(rows.errors).toEqual([
      { line: 2, column: 'Fund', message: 'no record in Funds is named “Fund II”' },
    ]);
    expect(missing.unmatchedLinks()).toEqual([
      { column: 'Fund', field_id: 'fld_fund', table_id: 'tbl_fund', names: ['Fund II'] },
    ]);
  });

  it('given create_missing_links, plans one record per missing name', () => {
    const { rows, missing } = settle(
      [F.name, F.fund],
      [
        ['Acme', 'Fund II'],
        ['Beta', ' Fund II'],
      ],
      { options: CREATE },
    );
    expect(rows.values.map((v) => v?.[1])).toEqual([['new:1'], ['new:1']]);
    expect(missing.link_creates).toEqual([
      { ref: 'new:1', table_id: 'tbl_fund', name: 'Fund II', line: 2, column: 'Fund' },
    ]);
  });

  it('given a link to the table itself, leaves it for later', () => {
    const { rows, selfLinks } = settle([F.name, F.parent], [['Acme', 'Holding']]);
    expect(selfLinks).toEqual([{ r: 0, j: 1, names: ['Holding'] }]);
    expect(rows.values[0]).toEqual(['Acme', []]);
  });

  it('given a value its field refuses, is a row error without the field name before it', () => {
    const { rows } = settle([F.email], [['not-an-email']]);
    expect(rows.errors).toEqual([{ line: 2, column: 'Email', message: expect.any(String) }]);
    expect(rows.errors[0].message).not.toMatch(/^field "/);
    expect(rows.values[0]).toEqual([undefined]);
  });

  it('given a guarded value only its text without the apostrophe fits, takes that', () => {
    const { rows } = settle([field('fld_phone', 'Phone', 'phone')], [["'+41 22 000 00 00"]]);
    expect(rows.errors).toEqual([]);
    expect(rows.values[0]).toEqual(['+41 22 000 00 00']);
  });
});
