import {
  type BackupEntry,
  type BackupPolicyState,
  type BackupsContext,
  type BackupState,
  type BackupVerification,
  DEFAULT_BACKUP_POLICY,
} from '@crm/domain';
import { type BackupManifest, type BackupPolicy, type BackupTrigger } from '@crm/events';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

interface BackupRow {
  id: string;
  created_at: string;
  trigger: BackupTrigger;
  created_by: string;
  file_name: string;
  manifest: string;
  verification: BackupVerification;
  verified_at: string | null;
  last_check: string | null;
  deleted_at: string | null;
  version: number;
}

const toEntry = (r: BackupRow): BackupEntry => ({
  id: r.id,
  created_at: r.created_at,
  trigger: r.trigger,
  created_by: r.created_by,
  file_name: r.file_name,
  manifest: JSON.parse(r.manifest),
  verification: r.verification,
  last_verification: r.last_check ? JSON.parse(r.last_check) : null,
  deleted_at: r.deleted_at,
  version: r.version,
});

/** All SQL over the backup catalogue and policy (the read models of the backup streams). */
export class BackupsRepository implements BackupsContext {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Sqlite) {
    this.s = {
      get: db.prepare('SELECT * FROM backups WHERE id = ?'),
      all: db.prepare('SELECT * FROM backups ORDER BY created_at DESC, id DESC'),
      present: db.prepare(
        'SELECT * FROM backups WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC',
      ),
      newest: db.prepare('SELECT created_at FROM backups ORDER BY created_at DESC LIMIT 1'),
      newestVerified: db.prepare(
        "SELECT * FROM backups WHERE verification = 'ok' AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1",
      ),
      insert:
        db.prepare(`INSERT INTO backups (id, created_at, trigger, created_by, file_name, manifest, verification, version)
        VALUES (@id, @created_at, @trigger, @created_by, @file_name, @manifest, 'unverified', @version) ON CONFLICT (id) DO NOTHING`),
      verified: db.prepare(
        'UPDATE backups SET verification = ?, verified_at = ?, last_check = ?, version = ? WHERE id = ? AND version < ?',
      ),
      deleted: db.prepare(
        'UPDATE backups SET deleted_at = ?, version = ? WHERE id = ? AND version < ?',
      ),
      policy: db.prepare('SELECT policy, version, changed_at FROM backup_policy WHERE id = 1'),
      setPolicy:
        db.prepare(`INSERT INTO backup_policy (id, policy, changed_at, changed_by, version) VALUES (1, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, changed_at = excluded.changed_at, changed_by = excluded.changed_by, version = excluded.version
        WHERE excluded.version > backup_policy.version`),
      firstEventAt: db.prepare('SELECT recorded_at FROM events ORDER BY position LIMIT 1'),
    };
  }

  entry(id: string): BackupEntry | undefined {
    const r = this.s.get.get(id) as BackupRow | undefined;
    return r && toEntry(r);
  }

  /** Newest first; deleted backups only when asked. */
  entries(includeDeleted = false): BackupEntry[] {
    return ((includeDeleted ? this.s.all : this.s.present).all() as BackupRow[]).map(toEntry);
  }

  newestVerified(): BackupEntry | undefined {
    const r = this.s.newestVerified.get() as BackupRow | undefined;
    return r && toEntry(r);
  }

  newestCreatedAt(): string | null {
    return (this.s.newest.get() as { created_at: string } | undefined)?.created_at ?? null;
  }

  /** When the policy took effect: its last change, or the start of the log for the default one. */
  policySince(): string | null {
    const row = this.s.policy.get() as { changed_at: string } | undefined;
    return (
      row?.changed_at ??
      (this.s.firstEventAt.get() as { recorded_at: string } | undefined)?.recorded_at ??
      null
    );
  }

  // BackupsContext, for the deciders.
  backup(id: string): BackupState | undefined {
    const r = this.s.get.get(id) as BackupRow | undefined;
    return (
      r && {
        id: r.id,
        created_at: r.created_at,
        verification: r.verification,
        deleted: r.deleted_at !== null,
        version: r.version,
      }
    );
  }

  backups(): BackupState[] {
    return (this.s.all.all() as BackupRow[]).map((r) => ({
      id: r.id,
      created_at: r.created_at,
      verification: r.verification,
      deleted: r.deleted_at !== null,
      version: r.version,
    }));
  }

  policy(): BackupPolicyState {
    const row = this.s.policy.get() as { policy: string; version: number } | undefined;
    return row
      ? { policy: { ...DEFAULT_BACKUP_POLICY, ...JSON.parse(row.policy) }, version: row.version }
      : { policy: { ...DEFAULT_BACKUP_POLICY }, version: 0 };
  }

  // Writes, for the projector only.
  insert(
    manifest: BackupManifest,
    trigger: BackupTrigger,
    createdBy: string,
    version: number,
  ): void {
    this.s.insert.run({
      id: manifest.id,
      created_at: manifest.created_at,
      trigger,
      created_by: createdBy,
      file_name: manifest.file_name,
      manifest: JSON.stringify(manifest),
      version,
    });
  }

  markVerified(
    id: string,
    ok: boolean,
    at: string,
    check: BackupEntry['last_verification'],
    version: number,
  ): void {
    this.s.verified.run(ok ? 'ok' : 'failed', at, JSON.stringify(check), version, id, version);
  }

  markDeleted(id: string, at: string, version: number): void {
    this.s.deleted.run(at, version, id, version);
  }

  savePolicy(policy: BackupPolicy, at: string, by: string, version: number): void {
    this.s.setPolicy.run(JSON.stringify(policy), at, by, version);
  }
}
