import type { BackupCheck, BackupManifest, BackupTrigger } from '@crm/events';
import type { BackupVerification } from './backup.state';

/** A backup as the API lists it (`GET /api/fundraising/backups`): its manifest and its last verification. */
export interface BackupEntry {
  id: string;
  created_at: string;
  trigger: BackupTrigger;
  created_by: string;
  file_name: string;
  manifest: BackupManifest;
  verification: BackupVerification;
  last_verification: {
    at: string;
    ok: boolean;
    kind: 'verify' | 'drill';
    checks: BackupCheck[];
  } | null;
  deleted_at: string | null;
  version: number;
}
