import type { BackupEntry } from '@crm/domain';
import type { BackupCheck, BackupPolicy } from '@crm/events';
import { get, patch, post } from '../../../app/http';

export type { BackupEntry } from '@crm/domain';
export type { BackupCheck, BackupPolicy } from '@crm/events';

export interface BackupList {
  backups: BackupEntry[];
  freshness: {
    status: 'pass' | 'warn';
    message: string;
    last_verified_backup_id: string | null;
    last_verified_backup_at: string | null;
    age_hours: number | null;
  };
  /** Whether this server process runs the nightly job (CRM_BACKUP_SCHEDULER). */
  scheduler_running: boolean;
  next_scheduled_at: string | null;
}

const path = (id: string) => `/api/fundraising/backups/${encodeURIComponent(id)}`;

export const backupsApi = {
  list: () => get<BackupList>('/api/fundraising/backups'),
  create: () => post<BackupEntry>('/api/fundraising/backup'),
  verify: (id: string) =>
    post<{ backup_id: string; ok: boolean; checks: BackupCheck[] }>(`${path(id)}/verify`),
  /** Followed as a link: the browser streams the file to disk (it can be large). */
  downloadUrl: (id: string, file: 'database' | 'manifest' = 'database') =>
    `${path(id)}/download${file === 'manifest' ? '?file=manifest' : ''}`,
  policy: () => get<BackupPolicy>('/api/fundraising/backup-policy'),
  changePolicy: (change: Partial<BackupPolicy>) =>
    patch<BackupPolicy>('/api/fundraising/backup-policy', change),
};
