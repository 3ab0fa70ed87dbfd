import { type BackupPolicy } from '@crm/events';

/** Whether a backup's last check passed; `unverified` until a BackupVerified arrives. */
export type BackupVerification = 'ok' | 'failed' | 'unverified';

export interface BackupState {
  id: string;
  created_at: string;
  verification: BackupVerification;
  deleted: boolean;
  /** The version of the backup's stream. */
  version: number;
}

export interface BackupPolicyState {
  policy: BackupPolicy;
  /** 0 while the policy is the default one (no event yet). */
  version: number;
}

/** What the backup deciders read. */
export interface BackupsContext {
  backup(id: string): BackupState | undefined;
  /** Every backup the log knows of, deleted ones included. */
  backups(): BackupState[];
  policy(): BackupPolicyState;
}
