import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { type CommitImport } from '../import/decide-import';
import { Given } from './given-when-then';

/** A log with the table `tbl_inv` (Name, Stage: Lead, Fund → `tbl_fund`) and `tbl_fund` (Name), and the record Acme. */
export function givenImportTables(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_fund',
        name: 'Funds',
        fields: [{ id: 'fld_fname', name: 'Name', type: 'text' }],
      },
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: 'tbl_inv',
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_stage', name: 'Stage', type: 'single_select', options: { choices: ['Lead'] } },
          { id: 'fld_fund', name: 'Fund', type: 'link', options: { table_id: 'tbl_fund' } },
        ],
      },
      ctx,
    ),
  );
  g.apply((ctx) =>
    decideChanges(
      {
        changes: [
          {
            op: 'create',
            table_id: 'tbl_inv',
            record_id: 'rec_acme',
            values: { fld_name: 'Acme' },
          },
        ],
        at: g.now,
        actor_id: 'usr_ada',
      },
      ctx,
    ),
  );
  return g;
}

/** An import into `tbl_inv` that does nothing but what `over` says. */
export const commitCommand = (over: Partial<CommitImport>): CommitImport => ({
  import_id: 'imp_1',
  file_name: 'lps.csv',
  table_id: 'tbl_inv',
  new_table: null,
  new_fields: [],
  new_choices: [],
  link_creates: [],
  creates: [],
  updates: [],
  ...over,
});

export const provenance = (line: number) => ({ import_id: 'imp_1', file_name: 'lps.csv', line });
