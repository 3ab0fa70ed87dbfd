import type { BackupEntry } from '@crm/domain';
import type { BackupCheck, BackupPolicy } from '@crm/events';

export type { BackupEntry } from '@crm/domain';
export type { BackupCheck, BackupPolicy } from '@crm/events';

/** The age of the newest backup that passed verification. */
export interface BackupFreshness {
  status: 'pass' | 'warn';
  last_verified_backup_id: string | null;
  /** When the newest backup that passed verification was taken. */
  last_verified_backup_at: string | null;
  age_hours: number | null;
  message: string;
}

/** GET /api/fundraising/backups */
export interface BackupList {
  backups: BackupEntry[];
  freshness: BackupFreshness;
  /** Whether this server process runs the nightly job (CRM_BACKUP_SCHEDULER). */
  scheduler_running: boolean;
  next_scheduled_at: string | null;
}

/** POST /api/fundraising/backups/:id/verify */
export interface BackupVerifyResult {
  backup_id: string;
  ok: boolean;
  checks: BackupCheck[];
}

/** PATCH /api/fundraising/backup-policy: any of the policy's settings. */
export type BackupPolicyChange = Partial<BackupPolicy>;
