import type { BackupFreshness } from '@crm/contracts';
import { type BackupsRepository } from './backups.repository';

/** Past this age the last verified backup is reported as a warning. */
export const BACKUP_STALE_HOURS = 48;

export type { BackupFreshness } from '@crm/contracts';

/** The age of the newest backup that passed verification, for readiness and the security status. */
export function backupFreshness(repo: BackupsRepository, nowIso: string): BackupFreshness {
  const newest = repo.newestVerified();
  if (!newest) {
    return {
      status: 'warn',
      last_verified_backup_id: null,
      last_verified_backup_at: null,
      age_hours: null,
      message: 'no verified backup yet: take one (POST /api/fundraising/backup) and verify it',
    };
  }
  const age = (Date.parse(nowIso) - Date.parse(newest.created_at)) / 3_600_000;
  const rounded = Math.round(age * 10) / 10;
  return age > BACKUP_STALE_HOURS
    ? {
        status: 'warn',
        last_verified_backup_id: newest.id,
        last_verified_backup_at: newest.created_at,
        age_hours: rounded,
        message: `the last verified backup is ${rounded} hours old (more than ${BACKUP_STALE_HOURS}); check the backup policy and the server log`,
      }
    : {
        status: 'pass',
        last_verified_backup_id: newest.id,
        last_verified_backup_at: newest.created_at,
        age_hours: rounded,
        message: `the last verified backup is ${rounded} hours old`,
      };
}
