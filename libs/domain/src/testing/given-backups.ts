import { type BackupManifest, InMemoryLog, type RecordedEvent } from '@crm/events';
import { type Decision } from '../base/decide-context';
import { backupsContextOf, type BackupsState, replayBackups } from '../backup/backup.evolve';
import { type BackupsContext } from '../backup/backup.state';

/** Given these backup decisions in the log, when a command is decided, then these events (or this error). */
export class GivenBackups {
  readonly store = new InMemoryLog((prev, e) => `${prev.slice(0, 8)}:${e.position}`);
  private n = 0;

  get state(): BackupsState {
    return replayBackups(this.store.readAll());
  }

  get ctx(): BackupsContext {
    return backupsContextOf(this.state);
  }

  apply(
    decision: Decision | ((ctx: BackupsContext) => Decision),
    at = '2026-01-01T00:00:00.000Z',
  ): RecordedEvent[] {
    const d = typeof decision === 'function' ? decision(this.ctx) : decision;
    const count = d.appends.reduce((n, a) => n + a.events.length, 0);
    if (count === 0) return [];
    return this.store.append(d.appends, {
      metadata: { actor_id: 'usr_admin', correlation_id: 'cor_test', source: 'system' },
      recorded_at: at,
      event_ids: Array.from({ length: count }, () => `evt_${++this.n}`),
    }).events;
  }
}

/** A manifest as a finished copy would have it; only the id and the time matter to the deciders. */
export function manifestOf(
  id: string,
  createdAt: string,
  over: Partial<BackupManifest> = {},
): BackupManifest {
  return {
    format: 1,
    id,
    created_at: createdAt,
    file_name: `crm-${id}.sqlite`,
    size: 4096,
    sha256: 'a'.repeat(64),
    app_version: '0.1.0',
    schema_version: 1764100000004,
    schema_migration: 'Backups1764100000004',
    event_count: 10,
    last_position: 10,
    head_hash: 'b'.repeat(64),
    read_model_hash: 'c'.repeat(64),
    read_model_tables: ['fundraising_records'],
    ...over,
  };
}
