import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../startup-error';

/** Room a start needs at least: the WAL's first pages, a checkpoint, the secret key. */
const PROBE_BYTES = 1024 * 1024;

const WHY: Record<string, string> = {
  EROFS: 'the volume is mounted read-only',
  EACCES: 'this user may not write there',
  EPERM: 'this user may not write there',
  ENOSPC: 'the volume is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a file is in the way of the directory',
  EIO: 'the disk reports an I/O error',
};

/**
 * Before the database opens: the data directory exists (or is made) and takes a small write, synced.
 * A read-only or full volume then stops the start with the path and the reason, where SQLite would
 * fail later with a code of its own.
 */
export function assertWritableDir(dir: string, what = 'data directory'): void {
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(probe, 'w', 0o600);
    try {
      writeSync(fd, Buffer.alloc(PROBE_BYTES));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw unusableDir(dir, what, e);
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      // nothing was written
    }
  }
}

/** SQLite's codes for the same conditions, met when the disk changes after the check. */
const SQLITE_CODES: Record<string, string> = {
  SQLITE_READONLY: 'EROFS',
  SQLITE_READONLY_DIRECTORY: 'EROFS',
  SQLITE_CANTOPEN: 'EACCES',
  SQLITE_FULL: 'ENOSPC',
  SQLITE_IOERR: 'EIO',
};

/** Whether an error is the disk refusing a write (as the system or SQLite reports it). */
export function isDiskRefusal(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return (
    typeof code === 'string' && (code in WHY || /^SQLITE_(READONLY|CANTOPEN|FULL|IOERR)/.test(code))
  );
}

/** The StartupError for a directory the server cannot write, from the system's (or SQLite's) error code. */
export function unusableDir(dir: string, what: string, e: unknown): StartupError {
  const raw = (e as NodeJS.ErrnoException).code ?? '';
  const code = SQLITE_CODES[raw] ?? SQLITE_CODES[raw.replace(/_[A-Z_]+$/, '')] ?? raw;
  const why = WHY[code] ?? (e as Error).message;
  return new StartupError(
    'data_dir_unusable',
    `cannot write to the ${what} ${dir}: ${why}${raw ? ` (${raw})` : ''}`,
    { cause: e },
  );
}
