/**
 * Backups: files taken of the whole database, their verification, deletion by the retention rules
 * and the policy that schedules them. Each backup has its own stream (`backup-<id>`); the policy is
 * one stream (`backup-policy`). None of these events describes the fund's data, only the copies of it.
 */

/** What a backup file is, computed from the finished copy itself (never from the live database). */
export interface BackupManifest {
  /** Manifest layout; a newer layout gets a new number, never a silent change. */
  format: 1;
  id: string;
  created_at: string;
  /** Base name of the copy in the backup directory. */
  file_name: string;
  size: number;
  sha256: string;
  app_version: string;
  /** The newest migration applied to the copy (its timestamp), and its name. */
  schema_version: number;
  schema_migration: string;
  event_count: number;
  last_position: number;
  /** The chain hash of the event at last_position (the genesis hash for an empty log). */
  head_hash: string;
  /** SHA-256 of the read models' dump (see read-model-hash.ts), and the tables it covers. */
  read_model_hash: string;
  read_model_tables: string[];
}

/** `pre_upgrade`: taken at start, before migrating the database to a new version. */
export type BackupTrigger = 'manual' | 'scheduled' | 'pre_upgrade';

export interface BackupCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface BackupPolicy {
  enabled: boolean;
  /** `HH:MM`, 24-hour, in time_zone. */
  time_of_day: string;
  /** An IANA zone name such as `Europe/Paris`. */
  time_zone: string;
  /** Keep the newest backup of each of the last N days (weeks, months) that have one. */
  keep_daily: number;
  keep_weekly: number;
  keep_monthly: number;
  verify_after_backup: boolean;
  /** Once a week (Sunday night, in time_zone) restore the newest backup into a scratch directory and boot the app on it. */
  drill_weekly: boolean;
}

export interface BackupCreatedData {
  manifest: BackupManifest;
  trigger: BackupTrigger;
}
export interface BackupVerifiedData {
  backup_id: string;
  ok: boolean;
  checks: BackupCheck[];
  /** `verify` checks the file; `drill` also restores it elsewhere and boots the app on it. */
  kind: 'verify' | 'drill';
}
export interface BackupPolicyChangedData {
  from: BackupPolicy;
  to: BackupPolicy;
}
export interface BackupDeletedData {
  backup_id: string;
  file_name: string;
  reason: 'retention';
}

export interface BackupEventMap {
  BackupCreated: BackupCreatedData;
  BackupVerified: BackupVerifiedData;
  BackupPolicyChanged: BackupPolicyChangedData;
  BackupDeleted: BackupDeletedData;
}

export type BackupEventType = keyof BackupEventMap;

export type BackupEvent = {
  [K in BackupEventType]: { type: K; data: BackupEventMap[K] };
}[BackupEventType];

export const BACKUP_EVENT_TYPES: readonly BackupEventType[] = [
  'BackupCreated',
  'BackupVerified',
  'BackupPolicyChanged',
  'BackupDeleted',
];

export const backupStreams = {
  backup: (id: string) => `backup-${id}`,
  policy: 'backup-policy',
};
