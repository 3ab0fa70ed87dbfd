import { type BackupPolicy, backupStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { applyBackupPolicyChange, samePolicy } from '../backup-policy.rules';
import { type BackupsContext } from '../backup.state';

export interface ChangeBackupPolicy {
  change: Partial<BackupPolicy>;
}

/** A valid change that alters something becomes BackupPolicyChanged with the whole policy before and after. */
export function decideChangeBackupPolicy(cmd: ChangeBackupPolicy, ctx: BackupsContext): Decision {
  const current = ctx.policy();
  const next = applyBackupPolicyChange(current.policy, cmd.change);
  const b = new DecisionBuilder();
  if (samePolicy(current.policy, next)) return b.build();
  b.emit(backupStreams.policy, current.version, {
    type: 'BackupPolicyChanged',
    data: { from: { ...current.policy }, to: next },
  });
  return b.build();
}
