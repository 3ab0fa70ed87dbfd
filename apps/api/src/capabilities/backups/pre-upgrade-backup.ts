import { rm } from 'node:fs/promises';
import { type PreUpgradeBackup, type Sqlite } from '../../infrastructure/database/database';
import { newId } from '../../infrastructure/clock';
import { StartupError } from '../../infrastructure/startup-error';
import {
  backupFileName,
  backupPath,
  copyDatabase,
  manifestPathOf,
  sha256File,
  writeFileDurably,
} from './backup-files';
import { manifestOfCopy } from './backup-inspection';
import { verifyBackupFile } from './backup-verifier';

/**
 * Before an upgrade migrates an existing database: an online copy of it as the previous version left
 * it, with its manifest, in the backup directory under the catalogue's naming, then verified against
 * the live file (manifest, checksum, integrity, schema, log, prefix; not the replay, which would run
 * this version's migrations on the copy). A copy that cannot be taken or fails a check stops the start
 * before anything is migrated. Once the upgrade is done the server records it in the catalogue
 * (trigger `pre_upgrade`), under the usual retention.
 */
export async function takePreUpgradeBackup(
  db: Sqlite,
  dir: string,
  now: string,
): Promise<PreUpgradeBackup> {
  const id = newId('bkp');
  const file_name = backupFileName(id, now);
  const file = backupPath(dir, file_name);
  try {
    await copyDatabase(db, file, { asIs: true });
    const { sha256, size } = await sha256File(file);
    const manifest = await manifestOfCopy(file, { id, created_at: now, file_name, size, sha256 });
    await writeFileDurably(manifestPathOf(file), `${JSON.stringify(manifest, null, 2)}\n`);
    const { ok, checks } = await verifyBackupFile(file, manifestPathOf(file), {
      live: db,
      replay: false,
    });
    if (!ok) {
      const failed = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
      throw new Error(`the copy failed its checks (${failed.join('; ')})`);
    }
    return { file, manifest, checks };
  } catch (e) {
    // What this attempt wrote goes; a directory that cannot be written has nothing to remove.
    await Promise.all(
      [file, manifestPathOf(file)].map((f) => rm(f, { force: true }).catch(() => undefined)),
    );
    throw new StartupError(
      'upgrade_backup_failed',
      `no backup could be taken in ${dir} before upgrading the database, so nothing was migrated: ${(e as Error).message}`,
      { cause: e },
    );
  }
}
