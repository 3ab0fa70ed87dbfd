import { rm } from 'node:fs/promises';
import { notFound, illegal } from '@crm/domain';
import { type BackupCheck, type BackupTrigger } from '@crm/events';
import { newId } from '../../infrastructure/clock';
import {
  backupFileName,
  backupPath,
  copyDatabase,
  manifestPathOf,
  sha256File,
  writeFileDurably,
} from './backup-files';
import { manifestOfCopy } from './backup-inspection';
import { type BackupMeta } from './backup.commands';
import { verifyBackupFile, type Verification } from './backup-verifier';
import type { BackupEntry } from '@crm/domain';
import { type Sqlite } from '../../infrastructure/database/database';
import { type Clock } from '../../infrastructure/clock';
import { type BackupCommands } from './backup.commands';

export interface BackupSettings {
  /** Where copies and manifests go (CRM_BACKUP_DIR). */
  dir: string;
}

/**
 * Taking, verifying and pruning backups. One operation at a time (a backup, a verification, a prune,
 * a drill), in the order asked: they read and delete the same files.
 */
export class BackupService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Sqlite,
    private readonly clock: Clock,
    private readonly backupCommands: BackupCommands,
    readonly settings: BackupSettings,
  ) {}

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  list(includeDeleted = false): BackupEntry[] {
    return this.backupCommands.repo.entries(includeDeleted);
  }

  entry(id: string): BackupEntry {
    const e = this.backupCommands.repo.entry(id);
    if (!e) throw notFound('there is no such backup', { backup_id: id });
    return e;
  }

  /** The copy of a backup that still has its files. */
  filesOf(id: string): { file: string; manifest: string; entry: BackupEntry } {
    const entry = this.entry(id);
    if (entry.deleted_at)
      throw illegal('this backup was deleted by the retention rules', {
        backup_id: id,
        deleted_at: entry.deleted_at,
      });
    const file = backupPath(this.settings.dir, entry.file_name);
    return { file, manifest: manifestPathOf(file), entry };
  }

  /**
   * Copy, describe, write the manifest, then record BackupCreated. A failure at any step removes what
   * this backup wrote (and only that): earlier backups are never touched.
   */
  create(trigger: BackupTrigger, meta: BackupMeta): Promise<BackupEntry> {
    return this.exclusive(async () => {
      const id = newId('bkp');
      const created_at = this.clock.now();
      const file_name = backupFileName(id, created_at);
      const file = backupPath(this.settings.dir, file_name);
      const manifestFile = manifestPathOf(file);
      try {
        await copyDatabase(this.db, file);
        const { sha256, size } = await sha256File(file);
        const manifest = await manifestOfCopy(file, { id, created_at, file_name, size, sha256 });
        await writeFileDurably(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
        await this.backupCommands.recordBackup(manifest, trigger, meta);
      } catch (e) {
        await Promise.all([rm(file, { force: true }), rm(manifestFile, { force: true })]);
        throw e;
      }
      return this.entry(id);
    });
  }

  /** Runs every check and records BackupVerified, passed or failed. */
  verify(id: string, meta: BackupMeta): Promise<Verification & { backup_id: string }> {
    return this.exclusive(async () => {
      const { file, manifest, entry } = this.filesOf(id);
      const result = await verifyBackupFile(file, manifest, {
        recorded: entry.manifest,
        live: this.db,
        replay: true,
      });
      await this.backupCommands.recordVerification(id, result.checks, 'verify', meta);
      return { backup_id: id, ...result };
    });
  }

  /** The checks a restore needs before it trusts a backup's position: all but the (slow) replay. */
  checkForRestore(id: string): Promise<Verification & { backup_id: string }> {
    return this.exclusive(async () => {
      const { file, manifest, entry } = this.filesOf(id);
      return {
        backup_id: id,
        ...(await verifyBackupFile(file, manifest, {
          recorded: entry.manifest,
          live: this.db,
          replay: false,
        })),
      };
    });
  }

  /** Records the outcome of a drill run elsewhere (a child process) against a backup. */
  recordDrill(id: string, checks: BackupCheck[], meta: BackupMeta): Promise<void> {
    return this.backupCommands.recordVerification(id, checks, 'drill', meta);
  }

  /** Applies the retention rules: BackupDeleted events first, then the files go. */
  prune(meta: BackupMeta): Promise<string[]> {
    return this.exclusive(async () => {
      const names = await this.backupCommands.prune(meta);
      for (const name of names) {
        const file = backupPath(this.settings.dir, name);
        await Promise.all([rm(file, { force: true }), rm(manifestPathOf(file), { force: true })]);
      }
      return names;
    });
  }
}
