import { DecisionBuilder } from '../../base/decide-context';
import { domainErrorOf } from '../../testing/domain-error-of';
import { commitCommand, givenImportTables, provenance } from '../../testing/given-import-commit';
import { eventsOf } from '../../testing/given-when-then';
import { type CommitImport } from '../decide-import';
import { ImportValues } from './import-values';
import { decideUpdates } from './update-records.step';

function when(updates: CommitImport['updates']) {
  const g = givenImportTables();
  const cmd = commitCommand({ updates });
  const b = new DecisionBuilder();
  const values = new ImportValues(cmd, g.ctx, g.ctx.table('tbl_inv')!);
  const updated = decideUpdates(cmd, g.ctx, values, b);
  return { updated, decision: b.build(), version: g.ctx.record('rec_acme')!.version };
}

describe('decideUpdates (step 4 of decideImport)', () => {
  it('given changes from the values the record holds, updates it at its version', () => {
    const { updated, decision, version } = when([
      {
        record_id: 'rec_acme',
        line: 2,
        changes: [
          { field_id: 'fld_name', from: 'Acme', to: 'Acme Corp' },
          { field_id: 'fld_stage', from: null, to: null },
        ],
      },
    ]);
    expect(updated).toBe(1);
    expect(decision.appends[0].expected_version).toBe(version);
    expect(eventsOf(decision)).toEqual([
      {
        type: 'RecordUpdated',
        data: {
          table_id: 'tbl_inv',
          record_id: 'rec_acme',
          changes: [{ field_id: 'fld_name', from: 'Acme', to: 'Acme Corp' }],
          provenance: provenance(2),
        },
      },
    ]);
  });

  it('given a cell changed since the plan, collects a conflict and changes nothing', () => {
    const { updated, decision } = when([
      {
        record_id: 'rec_acme',
        line: 2,
        changes: [{ field_id: 'fld_name', from: 'Old name', to: 'New name' }],
      },
    ]);
    expect(updated).toBe(0);
    expect(decision.appends).toEqual([]);
    expect(decision.conflicts).toEqual([
      {
        record_id: 'rec_acme',
        field_id: 'fld_name',
        expected: 'Old name',
        current: 'Acme',
        // Never edited since its creation: the creation's stamp.
        updated_at: '2026-01-01T00:00:03.000Z',
        updated_by: 'usr_test',
      },
    ]);
  });

  it('given a record that does not exist, refuses naming the line', () => {
    const e = domainErrorOf(() => when([{ record_id: 'rec_none', line: 9, changes: [] }]));
    expect(e.code).toBe('not_found');
    expect(e.details).toEqual({ field: 'record_id', given: 'rec_none', line: 9 });
  });
});
