import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type BackupManifest } from '@crm/events';
import { openCore } from '../../core';
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
    const core = await openCore({ databaseFile: scratch, seed: false });
    try {
      const events = await replayInSteps(core);
      const hash = await hashReadModelsInSteps(core.db, manifest.read_model_tables);
      return hash === manifest.read_model_hash
        ? [true, `replaying ${events} events reproduces the read-model hash ${hash.slice(0, 12)}…`]
        : [
            false,
            `replaying ${events} events gives the read-model hash ${hash.slice(0, 12)}…; the manifest says ${manifest.read_model_hash.slice(0, 12)}…`,
          ];
    } finally {
      await core.close();
    }
  } catch (e) {
    return [false, `the replay failed: ${(e as Error).message}`];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rebuild of a scratch copy, yielding between batches. */
export async function replayInSteps(core: Awaited<ReturnType<typeof openCore>>): Promise<number> {
  return (await core.runner.rebuildInSteps(nextTurn)).events;
}
