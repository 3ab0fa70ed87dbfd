import { directory, PLAN_FIELDS as F, planInput, record } from '../../testing/given-plan-input';
import { type PlanImportInput } from '../plan-import.types';
import { checkMapping } from './check-mapping.step';
import { matchRows } from './match-rows.step';
import { MissingLinks } from './missing-links';
import { readCells } from './read-cells.step';
import { settleSelfLinks } from './settle-self-links.step';
import { settleValues } from './settle-values.step';

const investors = directory('tbl_inv', 'Investors', {
  rec_h: 'Holding',
  rec_t1: 'Twin',
  rec_t2: 'Twin',
});

function settle(rows: string[][], over: Partial<PlanImportInput> = {}) {
  const input = planInput([F.name, F.email, F.parent], rows, {
    links: (id) => (id === 'tbl_inv' ? investors : undefined),
    ...over,
  });
  const { mapped, unread, keyCols } = checkMapping(input);
  const read = readCells(input, mapped, unread);
  const fields = mapped.map((c) => c.field);
  const missing = new MissingLinks(read.rows);
  const selfLinks = settleValues(read.rows, fields, missing);
  const records = [record('rec_a', { fld_name: 'Acme', fld_email: 'a@acme.io' })];
  const { rowRecord } = matchRows(read.rows, fields, keyCols, records);
  settleSelfLinks(read.rows, fields, selfLinks, rowRecord, missing);
  return { rows: read.rows, missing };
}

describe('settleSelfLinks (step 6 of planImport)', () => {
  it('given the name of a record of the table, links to it', () => {
    const { rows } = settle([['Acme', 'a@acme.io', 'Holding']]);
    expect(rows.values[0]?.[2]).toEqual(['rec_h']);
  });

  it('given the name of a row of the file, links to the record it creates or updates', () => {
    const { rows } = settle(
      [
        ['Acme', 'a@acme.io', 'Beta'],
        ['Beta', 'b@x.io', 'acme '],
      ],
      { merge_columns: [1] },
    );
    expect(rows.values.map((v) => v?.[2])).toEqual([['row:3'], ['rec_a']]);
  });

  it('given a name several records share, is a row error', () => {
    const { rows } = settle([['Acme', 'a@acme.io', 'Twin']]);
    expect(rows.errors).toEqual([
      {
        line: 2,
        column: 'Parent',
        message: '2 records are named “Twin”; rename one, or link by record id',
      },
    ]);
  });

  it('given a name nothing has, is a missing link of this table', () => {
    const { rows, missing } = settle([['Acme', 'a@acme.io', 'Nobody']]);
    expect(rows.errors.map((e) => e.message)).toEqual(['no record in Investors is named “Nobody”']);
    expect(missing.unmatchedLinks()[0].names).toEqual(['Nobody']);
  });
});
