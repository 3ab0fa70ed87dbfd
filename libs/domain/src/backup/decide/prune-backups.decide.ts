import { backupStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { planRetention } from '../backup-retention';
import { type BackupsContext } from '../backup.state';

/**
 * BackupDeleted for every backup the retention rules let go. The newest verified backup is never
 * among them (planRetention keeps it whatever the rules say); files go only after these events commit.
 */
export function decidePruneBackups(
  ctx: BackupsContext,
  fileNameOf: (id: string) => string,
): Decision {
  const plan = planRetention(ctx.backups(), ctx.policy().policy);
  const b = new DecisionBuilder();
  for (const id of plan.prune) {
    const backup = ctx.backup(id)!;
    b.emit(backupStreams.backup(id), backup.version, {
      type: 'BackupDeleted',
      data: { backup_id: id, file_name: fileNameOf(id), reason: 'retention' },
    });
  }
  return b.build();
}
