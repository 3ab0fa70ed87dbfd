import { join } from 'node:path';
import { decideAddField } from '@crm/domain';
import { copyDatabase } from '../../apps/api/src/capabilities/backups/backup-files';
import { INLINE_RECOMPUTE_LIMIT } from '../../apps/api/src/capabilities/fundraising/projectors/formula-backlog';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openCore } from '../support/core-handles';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * A backup taken while a large table's formula recompute is still under way: the copy finishes the
 * recompute itself, so its read models are what a replay of its log gives (what verification checks).
 */
describe('a backup copy taken during a formula recompute', () => {
  let core: TempCore;
  afterEach(() => core.dispose());

  it('finishes the recompute in the copy and leaves the live backlog to the server', async () => {
    // Given a large investors table to which a formula field was just added (no slice has run)
    core = await openTempCore('crm-backlog-copy-');
    const meta = { actor: SYSTEM_ACTOR, source: 'grid' as const };
    const investors = core.repo.tableByRole('investors')!;
    const role = (r: string) => investors.fields.find((f) => f.role === r)!.id;
    const name = role('investor.name');
    await core.commands.applyChanges(
      Array.from({ length: INLINE_RECOMPUTE_LIMIT + 100 }, (_, i) => ({
        op: 'create' as const,
        table_id: investors.id,
        values: { [name]: `LP ${i}` },
      })),
      meta,
    );
    const field = {
      id: newId('fld'),
      name: 'Upper',
      type: 'formula',
      options: { formula: 'UPPER({Name})' },
    };
    await core.commands.decide(meta, (ctx) =>
      decideAddField({ table_id: investors.id, field }, ctx),
    );
    const waiting = () =>
      core.db.prepare('SELECT COUNT(*) AS n FROM formula_backlog').get() as { n: number };
    expect(waiting().n).toBe(1);

    // When the database is copied as a backup copies it
    const file = join(core.dataSource.options.database as string, '..', 'copy.sqlite');
    await copyDatabase(core.db, file);

    // Then the copy has every value and no backlog, and equals a replay of its own log
    const copy = await openCore({ databaseFile: file, seed: false });
    try {
      const pending = copy.db.prepare('SELECT COUNT(*) AS n FROM formula_backlog').get() as {
        n: number;
      };
      expect(pending.n).toBe(0);
      expect(
        copy.repo.record(copy.repo.liveRecordsPage(investors.id, 0, 1).records[0].id)!.computed,
      ).toEqual({
        // The default base's commitment rollup and count (no commitments), then the new formula.
        [role('investor.committed_amount')]: 0,
        [role('investor.commitments_count')]: 0,
        [field.id]: 'LP 0',
      });
      const copied = dumpReadModels(copy.db);
      await copy.runner.rebuild();
      expect(dumpReadModels(copy.db)).toBe(copied);
    } finally {
      await copy.close();
    }
    // And the live database still has its backlog, for the server's slices
    expect(waiting().n).toBe(1);
  });
});
