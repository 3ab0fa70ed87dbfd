import { type BackupManifest, type BackupTrigger, backupStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, invalid } from '../../errors';
import { type BackupsContext } from '../backup.state';

export interface RecordBackup {
  manifest: BackupManifest;
  trigger: BackupTrigger;
}

/** A finished, checksummed copy enters the catalogue. Its id is new; its manifest describes the copy itself. */
export function decideRecordBackup(cmd: RecordBackup, ctx: BackupsContext): Decision {
  const m = cmd.manifest;
  if (ctx.backup(m.id))
    throw new DomainError('conflict', `backup ${m.id} is already recorded`, { backup_id: m.id });
  if (!/^[0-9a-f]{64}$/.test(m.sha256) || m.size <= 0 || m.event_count !== m.last_position) {
    throw invalid('the manifest does not describe a whole copy of the log', { backup_id: m.id });
  }
  const b = new DecisionBuilder();
  b.emit(backupStreams.backup(m.id), 0, {
    type: 'BackupCreated',
    data: { manifest: m, trigger: cmd.trigger },
  });
  return b.build();
}
