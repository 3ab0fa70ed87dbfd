import { createHash } from 'node:crypto';
import { replayInSteps } from '../../apps/api/src/capabilities/backups/backup-verifier';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import {
  dumpReadModels,
  hashReadModels,
  NOT_READ_MODELS,
  readModelTables,
} from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/** The read-model hash that backups record: what it covers, and that a stepped replay equals a rebuild. */
describe('the read-model hash', () => {
  let core: TempCore;
  beforeEach(async () => {
    core = await openTempCore('crm-rmhash-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  it('covers every table a projector owns except the backup catalogue, and no bookkeeping or secrets', async () => {
    const covered = readModelTables(core.db);
    const projected = core.runner.projectors.flatMap((p) => p.tables);
    expect(projected.filter((t) => !covered.includes(t)).sort()).toEqual([
      'backup_policy',
      'backups',
    ]);
    for (const t of [
      'events',
      'idempotency_keys',
      'credentials',
      'invite_tokens',
      'setup_tokens',
      'projection_checkpoints',
      'schema_migrations',
      'snapshots',
    ]) {
      expect([t, covered.includes(t)]).toEqual([t, false]);
      expect(NOT_READ_MODELS[t]).toEqual(expect.any(String));
    }
  });

  it('is the SHA-256 of the dump, and a stepped replay reproduces the rebuild', async () => {
    const inv = core.repo.tableByRole('investors')!;
    const name = inv.fields.find((f) => f.role === 'investor.name')!.id;
    for (let i = 0; i < 30; i++)
      await core.commands.applyChanges(
        [{ op: 'create', table_id: inv.id, values: { [name]: `LP ${i}` } }],
        { actor: SYSTEM_ACTOR, source: 'grid' },
      );
    const live = dumpReadModels(core.db);
    expect(hashReadModels(core.db)).toBe(createHash('sha256').update(live).digest('hex'));
    await replayInSteps(core.runner);
    expect(dumpReadModels(core.db)).toBe(live);
    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);
  });

  it('marks a table the database does not have as absent, so an older copy never hashes like an empty one', async () => {
    expect(dumpReadModels(core.db, ['no_such_table'])).toBe('no_such_table\n<absent>');
  });
});
