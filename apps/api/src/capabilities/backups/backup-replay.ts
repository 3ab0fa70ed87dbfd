import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type BackupManifest } from '@crm/events';
import { openStore } from '../../application';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { hashReadModelsInSteps } from './read-model-hash';

/** What the replay check needs: the copy, what its manifest promises, where scratch copies go. */
export interface ReplayInput {
  file: string;
  manifest: BackupManifest;
  scratchDir?: string;
}

/**
 * Replays the copy's events on a scratch copy (the backup file itself is only read) and compares the
 * read-model hash with the manifest's.
 */
export async function replayMatches({
  file,
  manifest,
  scratchDir = tmpdir(),
}: ReplayInput): Promise<[boolean, string]> {
  const dir = await mkdtemp(join(scratchDir, 'crm-verify-'));
  try {
    const scratch = join(dir, 'crm.sqlite');
    await copyFile(file, scratch);
    const store = await openStore({ databaseFile: scratch, seed: false });
    try {
      // A scratch copy thrown away after the check: no fsyncs, which would queue behind (and
      // ahead of) the server's own commits on the same disk.
      store.get<Sqlite>(SQLITE).pragma('synchronous = OFF');
      const events = await replayInSteps(store.get(ProjectionRunner));
      const hash = await hashReadModelsInSteps(
        store.get<Sqlite>(SQLITE),
        manifest.read_model_tables,
      );
      return hash === manifest.read_model_hash
        ? [true, `replaying ${events} events reproduces the read-model hash ${hash.slice(0, 12)}…`]
        : [
            false,
            `replaying ${events} events gives the read-model hash ${hash.slice(0, 12)}…; the manifest says ${manifest.read_model_hash.slice(0, 12)}…`,
          ];
    } finally {
      await store.close();
    }
  } catch (e) {
    return [false, `the replay failed: ${(e as Error).message}`];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rebuild of a scratch copy, yielding between batches. */
export async function replayInSteps(runner: ProjectionRunner): Promise<number> {
  return (await runner.rebuildInSteps(nextTurn)).events;
}
