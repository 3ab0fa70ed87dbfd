import { PLAN_FIELDS as F, planInput } from '../../testing/given-plan-input';
import { checkMapping } from './check-mapping.step';
import { readCells } from './read-cells.step';

function read(...args: Parameters<typeof planInput>) {
  const input = planInput(...args);
  const { mapped, unread } = checkMapping(input);
  return readCells(input, mapped, unread);
}

describe('readCells (step 2 of planImport)', () => {
  it('given rows of values, reads each cell as its column type', () => {
    const { rows, blankRows } = read([F.name, F.stage], [['Acme', 'Lead']]);
    expect(rows.values[0]).toEqual(['Acme', 'Lead']);
    expect(blankRows).toBe(0);
    expect(rows.errors).toEqual([]);
  });

  it('given a blank row and rows of the wrong width, counts the blank one and refuses the others', () => {
    const { rows, blankRows } = read(
      [F.name, F.email],
      [['', ''], ['Acme'], ['Beta', 'b@x.io', 'extra']],
    );
    expect(blankRows).toBe(1);
    expect(Array.from(rows.blank)).toEqual([1, 0, 0]);
    expect(Array.from(rows.bad)).toEqual([0, 1, 1]);
    expect(rows.errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'has 1 value; the header has 2'],
      [4, 'has 3 values; the header has 2'],
    ]);
  });

  it('given select values the field does not know, collects them once, in order of first use', () => {
    const { growth } = read([F.stage], [['Engaged'], ['Lead'], ['Engaged'], ['Closed']]);
    expect(growth[0]?.added).toEqual(['Engaged', 'Closed']);
  });

  it('given a guarded text in auto mode, keeps it as written, the unguarded value aside, and warns', () => {
    const { rows, warnings } = read([F.name], [["'=SUM(A1)"]]);
    expect(rows.values[0]).toEqual(["'=SUM(A1)"]);
    expect(rows.guardAlt.get(0)).toBe('=SUM(A1)');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^1 value\(s\) start with an apostrophe/);
  });

  it('given a guarded text in strip mode, reads it without the apostrophe', () => {
    const options = { create_missing_links: false, skip_rows_with_errors: false } as const;
    const { rows } = read([F.name], [["'=SUM(A1)"]], {
      options: { ...options, formula_guard: 'strip' },
    });
    expect(rows.values[0]).toEqual(['=SUM(A1)']);
    expect(rows.guardAlt.size).toBe(0);
  });
});
