import {
  type Decision,
  decideChangeBackupPolicy,
  decidePruneBackups,
  decideRecordBackup,
  decideRecordVerification,
} from '@crm/domain';
import {
  type BackupCheck,
  type BackupManifest,
  type BackupPolicy,
  type BackupTrigger,
  type EventSource,
} from '@crm/events';
import { type Clock, newEventId, newId } from '../../infrastructure/clock';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type BackupsRepository } from './backups.repository';

export interface BackupMeta {
  actor: Actor;
  source: EventSource;
  correlation_id?: string;
}

/** Command handlers of the backup streams: load, decide, append (the projector runs in the same transaction). */
export class BackupCommands {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: SqliteEventStore,
    readonly repo: BackupsRepository,
    private readonly clock: Clock,
  ) {}

  recordBackup(manifest: BackupManifest, trigger: BackupTrigger, meta: BackupMeta): void {
    this.uow.run(() => this.append(decideRecordBackup({ manifest, trigger }, this.repo), meta));
  }

  recordVerification(
    backupId: string,
    checks: BackupCheck[],
    kind: 'verify' | 'drill',
    meta: BackupMeta,
  ): void {
    this.uow.run(() =>
      this.append(decideRecordVerification({ backup_id: backupId, checks, kind }, this.repo), meta),
    );
  }

  changePolicy(change: Partial<BackupPolicy>, meta: BackupMeta): BackupPolicy {
    return this.uow.run(() => {
      this.append(decideChangeBackupPolicy({ change }, this.repo), meta);
      return this.repo.policy().policy;
    });
  }

  /** Records the deletions the retention rules call for; returns the file names to remove after the commit. */
  prune(meta: BackupMeta): string[] {
    return this.uow.run(() => {
      const decision = decidePruneBackups(this.repo, (id) => this.repo.entry(id)!.file_name);
      this.append(decision, meta);
      return decision.appends.flatMap((a) =>
        a.events.map((e) => (e.data as { file_name: string }).file_name),
      );
    });
  }

  private append(decision: Decision, meta: BackupMeta): void {
    const count = decision.appends.reduce((n, a) => n + a.events.length, 0);
    if (count === 0) return;
    this.store.append(decision.appends, {
      metadata: {
        actor_id: meta.actor.id,
        actor_name: meta.actor.name,
        correlation_id: meta.correlation_id ?? newId('cor'),
        causation_id: null,
        source: meta.source,
      },
      recorded_at: this.clock.now(),
      event_ids: Array.from({ length: count }, newEventId),
    });
  }
}
