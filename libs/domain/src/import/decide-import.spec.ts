import { decideChanges } from '../record/decide/apply-changes.decide';
import { decideCreateTable } from '../table/decide/create-table.decide';
import { domainErrorOf } from '../testing/domain-error-of';
import { eventsOf, Given } from '../testing/given-when-then';
import { type CommitImport, decideImport } from './decide-import';

const INV = 'tbl_inv';

function givenInvestors(): Given {
  const g = Given.empty();
  g.apply((ctx) =>
    decideCreateTable(
      {
        table_id: INV,
        name: 'Investors',
        fields: [
          { id: 'fld_name', name: 'Name', type: 'text' },
          { id: 'fld_stage', name: 'Stage', type: 'single_select', options: { choices: ['Lead'] } },
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
            table_id: INV,
            record_id: 'rec_acme',
            values: { fld_name: 'Acme', fld_stage: 'Lead' },
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

const cmd = (over: Partial<CommitImport>): CommitImport => ({
  import_id: 'imp_1',
  file_name: 'lps.csv',
  table_id: INV,
  new_table: null,
  new_fields: [],
  new_choices: [],
  link_creates: [],
  creates: [],
  updates: [],
  ...over,
});
const prov = (line: number) => ({ import_id: 'imp_1', file_name: 'lps.csv', line });

describe('decideImport', () => {
  it('adds fields and choices before the records that use them, all carrying provenance', () => {
    const g = givenInvestors();
    const d = decideImport(
      cmd({
        new_fields: [{ id: 'fld_email', name: 'Email', type: 'email' }],
        new_choices: [{ field_id: 'fld_stage', choices: ['Diligence'] }],
        creates: [
          {
            record_id: 'rec_beta',
            line: 2,
            values: { fld_name: 'Beta', fld_email: ' b@beta.example ', fld_stage: 'Diligence' },
          },
        ],
        updates: [
          {
            record_id: 'rec_acme',
            line: 3,
            changes: [{ field_id: 'fld_stage', from: 'Lead', to: 'Diligence' }],
          },
        ],
      }),
      g.ctx,
    );
    expect(eventsOf(d).map((e) => e.type)).toEqual([
      'FieldAdded',
      'FieldRetyped',
      'RecordCreated',
      'RecordUpdated',
    ]);
    expect(eventsOf(d)[2].data).toEqual({
      table_id: INV,
      record_id: 'rec_beta',
      values: { fld_name: 'Beta', fld_email: 'b@beta.example', fld_stage: 'Diligence' },
      provenance: prov(2),
    });
    expect(eventsOf(d)[3].data).toEqual({
      table_id: INV,
      record_id: 'rec_acme',
      changes: [{ field_id: 'fld_stage', from: 'Lead', to: 'Diligence' }],
      provenance: prov(3),
    });
    expect(d.appends[0].expected_version).toBe(1);
    expect(d.appends.find((a) => a.stream_id === 'record-rec_beta')!.expected_version).toBe(0);
    expect({ created: d.created, updated: d.updated }).toEqual({ created: 1, updated: 1 });
  });

  it('creates a new table with its default view', () => {
    const g = Given.empty();
    const d = decideImport(
      cmd({
        table_id: 'tbl_new',
        new_table: { name: 'LPs 2026', view_id: 'viw_new' },
        new_fields: [
          { id: 'fld_a', name: 'Name', type: 'text' },
          { id: 'fld_b', name: 'Amount', type: 'currency', options: { symbol: '€', precision: 0 } },
        ],
        creates: [{ record_id: 'rec_1', line: 2, values: { fld_a: 'Acme', fld_b: 5 } }],
      }),
      g.ctx,
    );
    expect(eventsOf(d).map((e) => e.type)).toEqual(['TableCreated', 'ViewSaved', 'RecordCreated']);
    expect(eventsOf(d)[1].data).toMatchObject({
      view_id: 'viw_new',
      table_id: 'tbl_new',
      config: { default: true, field_order: ['fld_a', 'fld_b'] },
    });
  });

  it('refuses the whole import when a cell changed since the plan', () => {
    const g = givenInvestors();
    g.apply(
      (ctx) =>
        decideChanges(
          {
            changes: [
              {
                op: 'set',
                record_id: 'rec_acme',
                field_id: 'fld_name',
                from: 'Acme',
                to: 'Acme Capital',
              },
            ],
            at: g.now,
            actor_id: 'usr_bob',
          },
          ctx,
        ),
      'usr_bob',
    );
    const e = domainErrorOf(() =>
      decideImport(
        cmd({
          updates: [
            {
              record_id: 'rec_acme',
              line: 2,
              changes: [{ field_id: 'fld_name', from: 'Acme', to: 'ACME' }],
            },
          ],
        }),
        g.ctx,
      ),
    );
    expect(e.code).toBe('conflict');
    expect(e.details.conflicts).toEqual([
      expect.objectContaining({
        record_id: 'rec_acme',
        expected: 'Acme',
        current: 'Acme Capital',
        updated_by: 'usr_bob',
      }),
    ]);
  });

  it('refuses a value its field does not take, naming the line', () => {
    const g = givenInvestors();
    const e = domainErrorOf(() =>
      decideImport(
        cmd({ creates: [{ record_id: 'rec_x', line: 7, values: { fld_stage: 'Nope' } }] }),
        g.ctx,
      ),
    );
    expect(e.message).toMatch(/^line 7: field "Stage"/);
  });

  it('links only to live records of the linked table or ones it creates', () => {
    const g = givenInvestors();
    g.apply((ctx) =>
      decideCreateTable(
        {
          table_id: 'tbl_con',
          name: 'Contacts',
          fields: [
            { id: 'fld_c', name: 'Name', type: 'text' },
            { id: 'fld_inv', name: 'Investor', type: 'link', options: { table_id: INV } },
          ],
        },
        ctx,
      ),
    );
    const ok = decideImport(
      cmd({
        table_id: 'tbl_con',
        link_creates: [{ table_id: INV, record_id: 'rec_nova', name: 'Nova', line: 2 }],
        creates: [
          {
            record_id: 'rec_ann',
            line: 2,
            values: { fld_c: 'Ann', fld_inv: ['rec_acme', 'rec_nova'] },
          },
        ],
      }),
      g.ctx,
    );
    expect(eventsOf(ok).map((e) => [e.type, (e.data as { table_id: string }).table_id])).toEqual([
      ['RecordCreated', INV],
      ['RecordCreated', 'tbl_con'],
    ]);
    const e = domainErrorOf(() =>
      decideImport(
        cmd({
          table_id: 'tbl_con',
          creates: [{ record_id: 'rec_ann', line: 4, values: { fld_inv: ['rec_ghost'] } }],
        }),
        g.ctx,
      ),
    );
    expect(e.message).toMatch(/line 4: field "Investor" links to rec_ghost/);
  });
});
