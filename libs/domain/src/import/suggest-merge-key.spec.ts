import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { columnsByName, rowsOf } from '../testing/given-import';
import { Given } from '../testing/given-when-then';
import { suggestMergeKey } from './suggest-merge-key';

function given(records: Record<string, unknown>[]) {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl',
        name: 'Contacts',
        fields: [
          { id: 'f_name', name: 'Name', type: 'text' },
          { id: 'f_email', name: 'Email', type: 'email' },
          { id: 'f_city', name: 'City', type: 'text' },
        ],
      },
      ctx,
    ),
  );
  if (records.length)
    g.apply((ctx) =>
      decideChanges(
        {
          changes: records.map((values, i) => ({
            op: 'create' as const,
            table_id: 'tbl',
            record_id: `rec_${i}`,
            values,
          })),
          at: g.now,
          actor_id: 'usr',
        },
        ctx,
      ),
    );
  return g;
}

const suggest = (g: Given, csv: { header: string[]; rows: string[][] }) =>
  suggestMergeKey(
    columnsByName(g.ctx, 'tbl', csv.header),
    rowsOf(csv),
    [...g.ctx.recordsOf('tbl')],
    'f_name',
  );

describe('suggestMergeKey', () => {
  it('proposes the unique column that matches the most records', () => {
    const g = given([
      { f_name: 'Ann Lee', f_email: 'ann@x.example' },
      { f_name: 'Bob Roe', f_email: 'bob@x.example' },
    ]);
    const s = suggest(g, {
      header: ['Name', 'Email'],
      rows: [
        ['Ann Lee', 'ANN@x.example'],
        ['Robert Roe', 'bob@x.example'],
      ],
    });
    expect(s).toMatchObject({ columns: ['Email'], matches: 2 });
  });

  it('prefers the primary field when nothing matches yet', () => {
    const g = given([]);
    expect(
      suggest(g, {
        header: ['City', 'Name'],
        rows: [
          ['Paris', 'Ann'],
          ['Oslo', 'Bob'],
        ],
      })?.columns,
    ).toEqual(['Name']);
  });

  it('falls back to a pair when no single column is unique', () => {
    const g = given([]);
    const s = suggest(g, {
      header: ['Name', 'City'],
      rows: [
        ['Ann', 'Paris'],
        ['Ann', 'Oslo'],
        ['Bob', 'Paris'],
      ],
    });
    expect(s?.columns).toEqual(['Name', 'City']);
  });

  it('proposes nothing when no column or pair is unique', () => {
    const g = given([]);
    expect(
      suggest(g, {
        header: ['Name', 'City'],
        rows: [
          ['Ann', 'Paris'],
          ['Ann', 'Paris'],
        ],
      }),
    ).toBeNull();
  });
});
