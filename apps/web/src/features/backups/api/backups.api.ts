import type {
  BackupEntry,
  BackupList,
  BackupPolicy,
  BackupPolicyChange,
  BackupVerifyResult,
} from '@crm/contracts';
import { get, patch, post } from '../../../app/http';

export type { BackupCheck, BackupEntry, BackupList, BackupPolicy } from '@crm/contracts';

const path = (id: string) => `/api/fundraising/backups/${encodeURIComponent(id)}`;

export const backupsApi = {
  list: () => get<BackupList>('/api/fundraising/backups'),
  create: () => post<BackupEntry>('/api/fundraising/backup'),
  verify: (id: string) => post<BackupVerifyResult>(`${path(id)}/verify`),
  /** Followed as a link: the browser streams the file to disk (it can be large). */
  downloadUrl: (id: string, file: 'database' | 'manifest' = 'database') =>
    `${path(id)}/download${file === 'manifest' ? '?file=manifest' : ''}`,
  policy: () => get<BackupPolicy>('/api/fundraising/backup-policy'),
  changePolicy: (change: BackupPolicyChange) =>
    patch<BackupPolicy>('/api/fundraising/backup-policy', change),
};
