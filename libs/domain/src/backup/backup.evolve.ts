import { type BackupEvent, type RecordedEvent } from '@crm/events';
import { DEFAULT_BACKUP_POLICY } from './backup-policy.rules';
import { type BackupPolicyState, type BackupsContext, type BackupState } from './backup.state';

export interface BackupsState {
  backups: Map<string, BackupState>;
  policy: BackupPolicyState;
}

export const initialBackupsState = (): BackupsState => ({
  backups: new Map(),
  policy: { policy: { ...DEFAULT_BACKUP_POLICY }, version: 0 },
});

/** Folds one backup event into the state; other events pass through. Never throws. */
export function evolveBackups(state: BackupsState, recorded: RecordedEvent): BackupsState {
  const e = recorded as unknown as BackupEvent;
  switch (e.type) {
    case 'BackupCreated': {
      const m = e.data.manifest;
      state.backups.set(m.id, {
        id: m.id,
        created_at: m.created_at,
        verification: 'unverified',
        deleted: false,
        version: recorded.stream_version,
      });
      return state;
    }
    case 'BackupVerified': {
      const b = state.backups.get(e.data.backup_id);
      if (b)
        state.backups.set(b.id, {
          ...b,
          verification: e.data.ok ? 'ok' : 'failed',
          version: recorded.stream_version,
        });
      return state;
    }
    case 'BackupDeleted': {
      const b = state.backups.get(e.data.backup_id);
      if (b) state.backups.set(b.id, { ...b, deleted: true, version: recorded.stream_version });
      return state;
    }
    case 'BackupPolicyChanged':
      state.policy = {
        policy: { ...DEFAULT_BACKUP_POLICY, ...e.data.to },
        version: recorded.stream_version,
      };
      return state;
    default:
      return state;
  }
}

export const replayBackups = (events: readonly RecordedEvent[]): BackupsState =>
  events.reduce(evolveBackups, initialBackupsState());

export const backupsContextOf = (s: BackupsState): BackupsContext => ({
  backup: (id) => s.backups.get(id),
  backups: () => [...s.backups.values()],
  policy: () => s.policy,
});
