import { type BackupEvent, type RecordedEvent } from '@crm/events';
import { type Projector } from '../../infrastructure/projections/projector';
import { type BackupsRepository } from './backups.repository';

/**
 * The backup catalogue (`backups`) and the policy (`backup_policy`). Each row keeps its stream
 * version and the writes are conditional on it, so applying an event twice is harmless.
 */
export class BackupsProjector implements Projector {
  readonly name = 'backups';
  readonly tables = ['backups', 'backup_policy'] as const;

  constructor(private readonly repo: BackupsRepository) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const e of events) this.project(e);
  }

  private project(recorded: RecordedEvent): void {
    const e = recorded as unknown as BackupEvent;
    switch (e.type) {
      case 'BackupCreated':
        return this.repo.insert(
          e.data.manifest,
          e.data.trigger,
          recorded.metadata.actor_id,
          recorded.stream_version,
        );
      case 'BackupVerified':
        return this.repo.markVerified(
          e.data.backup_id,
          e.data.ok,
          recorded.recorded_at,
          { at: recorded.recorded_at, ok: e.data.ok, kind: e.data.kind, checks: e.data.checks },
          recorded.stream_version,
        );
      case 'BackupDeleted':
        return this.repo.markDeleted(
          e.data.backup_id,
          recorded.recorded_at,
          recorded.stream_version,
        );
      case 'BackupPolicyChanged':
        return this.repo.savePolicy(
          e.data.to,
          recorded.recorded_at,
          recorded.metadata.actor_id,
          recorded.stream_version,
        );
      default:
        return;
    }
  }

  async reset(): Promise<void> {
    for (const t of this.tables) this.repo.db.prepare(`DELETE FROM ${t}`).run();
  }
}
