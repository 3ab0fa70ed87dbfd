import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BackupManifest } from '@crm/events';
import { exists, fsyncDir, fsyncFile, manifestPathOf, sha256File } from './backup-files';
import { verifyBackupFile, type Verification } from './backup-verifier';

export interface DisasterRestoreOptions {
  /** The backup copy to restore. */
  from: string;
  /** Its manifest; by default the `.manifest.json` beside it. */
  manifest?: string;
  /** The live database file (CRM_DATA_DIR/crm.sqlite); it may be missing or damaged. */
  databaseFile: string;
  log: (line: string) => void;
  /** A fixed time for the name of the directory the old files go to (tests). */
  now?: () => Date;
}

export interface DisasterRestoreResult {
  verification: Verification;
  restored: boolean;
  /** Where the files that were in place went; null when there were none. */
  moved_aside_to: string | null;
  manifest: BackupManifest | null;
}

export class DatabaseInUseError extends Error {
  constructor(file: string) {
    super(
      `${file} is open in another process (is the server running?); stop it first, then restore`,
    );
    this.name = 'DatabaseInUseError';
  }
}

const LIVE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Disaster recovery: verify the backup (checksum, integrity, schema, the whole chained log, and a
 * replay of its read models), then move the current database files aside (never deleting them) and
 * put the copy in their place. Any failed check stops before anything is touched; a failure while
 * putting the copy in place moves the old files back.
 */
export async function restoreFromBackup(o: DisasterRestoreOptions): Promise<DisasterRestoreResult> {
  const manifestFile = o.manifest ?? manifestPathOf(o.from);
  o.log(`verifying ${o.from} against ${manifestFile}…`);
  const verification = await verifyBackupFile(o.from, manifestFile, { replay: true });
  for (const c of verification.checks) o.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  if (!verification.ok) {
    o.log('the backup failed verification: nothing was changed');
    return { verification, restored: false, moved_aside_to: null, manifest: verification.manifest };
  }
  assertNotInUse(o.databaseFile);

  const dataDir = dirname(o.databaseFile);
  await mkdir(dataDir, { recursive: true });
  const present = [];
  for (const s of LIVE_FILES) if (await exists(`${o.databaseFile}${s}`)) present.push(s);
  let aside: string | null = null;
  if (present.length) {
    aside = join(
      dataDir,
      `replaced-${(o.now?.() ?? new Date())
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}`,
    );
    await mkdir(aside);
    for (const s of present)
      await rename(`${o.databaseFile}${s}`, join(aside, `${basename(o.databaseFile)}${s}`));
    await fsyncDir(dataDir);
    o.log(
      `moved the current files (${present.map((s) => `${basename(o.databaseFile)}${s}`).join(', ')}) to ${aside}`,
    );
  }
  const incoming = `${o.databaseFile}.restoring`;
  try {
    await copyFile(o.from, incoming);
    await fsyncFile(incoming);
    const { sha256 } = await sha256File(incoming);
    if (sha256 !== verification.manifest!.sha256)
      throw new Error('the copy changed while it was being put in place');
    await rename(incoming, o.databaseFile);
    await fsyncDir(dataDir);
  } catch (e) {
    await rm(incoming, { force: true });
    if (aside) {
      for (const s of present)
        await rename(join(aside, `${basename(o.databaseFile)}${s}`), `${o.databaseFile}${s}`);
      await rm(aside, { recursive: true, force: true });
      o.log('putting the backup in place failed; the previous files are back where they were');
    }
    throw e;
  }
  const m = verification.manifest!;
  o.log(
    `restored backup ${m.id} of ${m.created_at}: ${m.event_count} events up to position ${m.last_position}. Start the server.`,
  );
  return { verification, restored: true, moved_aside_to: aside, manifest: m };
}

/**
 * While a server has the database open (WAL mode), no other connection can take an exclusive lock on
 * it. A file SQLite cannot open at all is not being served either.
 */
function assertNotInUse(file: string): void {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new DatabaseInUseError(file);
  } finally {
    try {
      db?.close();
    } catch {
      // a damaged file may refuse even to close cleanly; it is moved aside next
    }
  }
}
