import { DecisionBuilder } from '../../base/decide-context';
import { domainErrorOf } from '../../testing/domain-error-of';
import { commitCommand, givenImportTables, provenance } from '../../testing/given-import-commit';
import { eventsOf } from '../../testing/given-when-then';
import { type CommitImport } from '../decide-import';
import { decideCreates, decideLinkCreates } from './create-records.step';
import { ImportValues } from './import-values';

function when(cmd: CommitImport) {
  const g = givenImportTables();
  const b = new DecisionBuilder();
  const values = new ImportValues(cmd, g.ctx, g.ctx.table('tbl_inv')!);
  decideLinkCreates(cmd, g.ctx, values, b);
  decideCreates(cmd, values, b);
  return b.build();
}

describe('decideLinkCreates and decideCreates (steps 2 and 3 of decideImport)', () => {
  it('given a missing linked record and a row, creates both with provenance, new streams each', () => {
    const d = when(
      commitCommand({
        link_creates: [{ table_id: 'tbl_fund', record_id: 'rec_f2', name: 'Fund II', line: 2 }],
        creates: [
          {
            record_id: 'rec_beta',
            line: 2,
            values: { fld_name: 'Beta', fld_stage: '', fld_fund: ['rec_f2'] },
          },
        ],
      }),
    );
    expect(d.appends.map((a) => [a.stream_id, a.expected_version])).toEqual([
      ['record-rec_f2', 0],
      ['record-rec_beta', 0],
    ]);
    expect(eventsOf(d)).toEqual([
      {
        type: 'RecordCreated',
        data: {
          table_id: 'tbl_fund',
          record_id: 'rec_f2',
          values: { fld_fname: 'Fund II' },
          provenance: provenance(2),
        },
      },
      {
        type: 'RecordCreated',
        data: {
          table_id: 'tbl_inv',
          record_id: 'rec_beta',
          values: { fld_name: 'Beta', fld_fund: ['rec_f2'] },
          provenance: provenance(2),
        },
      },
    ]);
  });

  it('given a link to a record of another table, refuses naming the line', () => {
    const cmd = commitCommand({
      creates: [{ record_id: 'rec_beta', line: 7, values: { fld_fund: ['rec_acme'] } }],
    });
    const e = domainErrorOf(() => when(cmd));
    expect(e.code).toBe('validation');
    expect(e.details).toEqual({ field: 'fld_fund', line: 7, given: 'rec_acme' });
  });

  it('given a value its field refuses or an unknown field, refuses naming the line', () => {
    const bad = commitCommand({
      creates: [{ record_id: 'rec_b', line: 3, values: { fld_stage: 'Closed' } }],
    });
    expect(domainErrorOf(() => when(bad)).message).toMatch(/^line 3: field "Stage"/);
    const unknown = commitCommand({
      creates: [{ record_id: 'rec_b', line: 4, values: { fld_nope: 'x' } }],
    });
    expect(domainErrorOf(() => when(unknown)).details).toEqual({
      field: 'field_id',
      given: 'fld_nope',
      line: 4,
    });
  });
});
