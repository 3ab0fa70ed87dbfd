import { copyFile, mkdtemp, rm, stat, statfs } from 'node:fs/promises';
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
 * Where a scratch copy goes unless told: a file system in memory first, when it has room, then the
 * temporary directory. A copy of a large base and its replay write hundreds of megabytes; on disk,
 * the server's own commits waited behind them (an fsync's p99 went from about 16 to 50 ms while as
 * much was written beside it), and the copy is thrown away after the check anyway.
 */
export const SCRATCH_DIRS: readonly string[] = ['/dev/shm'];
/** The room a scratch copy asks for: the copy, its read models built again, and its WAL. */
const ROOM_PER_BYTE = 3;

/** The first of `dirs` with room for a scratch copy of `bytes` that we may write in; else `fallback`. */
export async function scratchDirFor(
  bytes: number,
  dirs: readonly string[] = SCRATCH_DIRS,
  fallback = tmpdir(),
): Promise<string> {
  for (const dir of dirs) {
    try {
      const fs = await statfs(dir);
      if (fs.bavail * fs.bsize < ROOM_PER_BYTE * bytes) continue;
      await rm(await mkdtemp(join(dir, 'crm-room-')), { recursive: true });
      return dir;
    } catch {
      // Not there, or not ours to write in: the next one.
    }
  }
  return fallback;
}

/**
 * Replays the copy's events on a scratch copy (the backup file itself is only read) and compares the
 * read-model hash with the manifest's.
 */
export async function replayMatches({
  file,
  manifest,
  scratchDir,
}: ReplayInput): Promise<[boolean, string]> {
  let dir: string;
  try {
    const where = scratchDir ?? (await scratchDirFor((await stat(file)).size));
    dir = await mkdtemp(join(where, 'crm-verify-'));
  } catch (e) {
    return [false, `no room for the replay's scratch copy: ${(e as Error).message}`];
  }
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
