import { PLAN_FIELDS as F, planInput } from '../../testing/given-plan-input';
import { checkMapping } from './check-mapping.step';

describe('checkMapping (step 1 of planImport)', () => {
  it('given a sound mapping, keeps the columns that fill a field and finds the key among them', () => {
    const input = planInput([F.name, null, F.email], [], { merge_columns: [2] });
    const checked = checkMapping(input);
    expect(checked.errors).toEqual([]);
    expect(checked.mapped.map((c) => c.name)).toEqual(['Name', 'Email']);
    expect(checked.keyCols).toEqual([1]);
  });

  it('given two columns into one field and a computed field, blocks on each', () => {
    const input = planInput([F.name, F.name, F.created], []);
    expect(checkMapping(input).errors).toEqual([
      {
        line: null,
        column: 'Name',
        message: 'columns “Name” and “Name” both fill the field “Name”',
      },
      {
        line: null,
        column: 'Created',
        message: '“Created” is filled in by the system; skip this column',
      },
    ]);
  });

  it('given a date column of unknown order, blocks and leaves the column unread', () => {
    const input = planInput([F.met], []);
    input.columns[0].format = { ...input.columns[0].format, date_order: null };
    const checked = checkMapping(input);
    expect(checked.unread).toEqual(new Set([0]));
    expect(checked.errors[0].message).toMatch(/^the column mixes day-first and month-first dates/);
  });

  it('given a merge key on a skipped column or a link to the table itself, blocks', () => {
    const input = planInput([F.name, null, F.parent], [], { merge_columns: [1, 2] });
    expect(checkMapping(input).errors.map((e) => [e.column, e.message])).toEqual([
      ['Column 2', 'a merge-key column must be imported into a field'],
      ['Parent', 'a link to the same table cannot be part of the merge key'],
    ]);
  });

  it('given a link to a table that does not exist, blocks', () => {
    const input = planInput([F.fund], [], { links: () => undefined });
    expect(checkMapping(input).errors.map((e) => e.message)).toEqual([
      'the field “Fund” links to a table that does not exist',
    ]);
  });
});
