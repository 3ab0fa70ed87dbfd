import {
  decideChangeBackupPolicy,
  decidePruneBackups,
  decideRecordBackup,
  decideRecordVerification,
} from '@crm/domain';
import type {
  BackupCheck,
  BackupManifest,
  BackupPolicy,
  BackupTrigger,
  EventSource,
} from '@crm/events';
import type { CommandExecutor } from '../../infrastructure/commands/command-executor';
import type { Actor } from '../../infrastructure/request-context/actor';
import type { BackupsRepository } from './backups.repository';

export interface BackupMeta {
  actor: Actor;
  source: EventSource;
  correlation_id?: string;
  causation_id?: string | null;
}

/** Command handlers of the backup streams: load, decide, append (the projector runs in the same transaction). */
export class BackupCommands {
  constructor(
    private readonly executor: CommandExecutor,
    readonly repo: BackupsRepository,
  ) {}

  async recordBackup(
    manifest: BackupManifest,
    trigger: BackupTrigger,
    meta: BackupMeta,
  ): Promise<void> {
    await this.executor.execute(meta, ({ append }) =>
      append(decideRecordBackup({ manifest, trigger }, this.repo)),
    );
  }

  async recordVerification(
    backupId: string,
    checks: BackupCheck[],
    kind: 'verify' | 'drill',
    meta: BackupMeta,
  ): Promise<void> {
    await this.executor.execute(meta, ({ append }) =>
      append(decideRecordVerification({ backup_id: backupId, checks, kind }, this.repo)),
    );
  }

  changePolicy(change: Partial<BackupPolicy>, meta: BackupMeta): Promise<BackupPolicy> {
    return this.executor.execute(meta, async ({ append }) => {
      await append(decideChangeBackupPolicy({ change }, this.repo));
      return this.repo.policy().policy;
    });
  }

  /** Records the deletions the retention rules call for; returns the file names to remove after the commit. */
  prune(meta: BackupMeta): Promise<string[]> {
    return this.executor.execute(meta, async ({ append }) => {
      const decision = decidePruneBackups(this.repo, (id) => this.repo.entry(id)!.file_name);
      await append(decision);
      return decision.appends.flatMap((a) =>
        a.events.map((e) => (e.data as { file_name: string }).file_name),
      );
    });
  }
}
