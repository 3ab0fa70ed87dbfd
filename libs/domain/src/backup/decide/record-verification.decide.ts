import { type BackupCheck, backupStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal, notFound } from '../../errors';
import { type BackupsContext } from '../backup.state';

export interface RecordVerification {
  backup_id: string;
  checks: BackupCheck[];
  kind: 'verify' | 'drill';
}

/** Passed or failed, a verification is recorded; it passes only when every check does (and there are checks). */
export function decideRecordVerification(cmd: RecordVerification, ctx: BackupsContext): Decision {
  const backup = ctx.backup(cmd.backup_id);
  if (!backup) throw notFound('there is no such backup', { backup_id: cmd.backup_id });
  if (backup.deleted)
    throw illegal('this backup was deleted by the retention rules', { backup_id: cmd.backup_id });
  const ok = cmd.checks.length > 0 && cmd.checks.every((c) => c.ok);
  const b = new DecisionBuilder();
  b.emit(backupStreams.backup(backup.id), backup.version, {
    type: 'BackupVerified',
    data: { backup_id: backup.id, ok, checks: cmd.checks, kind: cmd.kind },
  });
  return b.build();
}
