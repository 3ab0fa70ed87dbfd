import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type BackupManifest } from '@crm/events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';
import { FormulaBacklog, FundraisingRepository } from '../fundraising';

/** `crm-20261125T020000Z-bkp….sqlite`: sorts by time in a directory listing, unique by id. */
export function backupFileName(id: string, createdAt: string): string {
  return `crm-${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${id}.sqlite`;
}

/** The manifest sits beside its copy: `<name>.manifest.json`. */
export const manifestPathOf = (backupFile: string): string =>
  join(dirname(backupFile), `${basename(backupFile).replace(/\.sqlite$/, '')}.manifest.json`);

/** A file name from the catalogue, resolved in the backup directory and never outside it. */
export function backupPath(dir: string, fileName: string): string {
  if (basename(fileName) !== fileName || !/^[A-Za-z0-9._-]+\.sqlite$/.test(fileName))
    throw new Error(`not a backup file name: ${fileName}`);
  return join(dir, fileName);
}

const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * An online, consistent copy of the open database through SQLite's backup API. It is written under a
 * temporary name and renamed only once complete and on disk, so a copy that fails midway (disk full,
 * crash) never takes the place of anything, and the temporary file is removed. The copy is switched
 * to rollback-journal mode so it is one self-contained file that opens read-only without side files.
 * Pages go over in steps between turns of the event loop, so requests keep being served; writes this
 * connection makes meanwhile are carried into the copy by SQLite, so it is a snapshot of the moment
 * the last step finished. A formula recompute still under way in the copy is finished there, so the
 * copy's read models are what a replay of its log gives (unless `asIs`).
 */
export async function copyDatabase(
  db: Sqlite,
  dest: string,
  options: { asIs?: boolean } = {},
): Promise<void> {
  const partial = `${dest}.partial`;
  await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
  try {
    await db.backup(partial, { progress: () => 2048 });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      // A pre-upgrade copy stays exactly as the previous version left it (its schema may predate the backlog).
      if (!options.asIs) await finishRecomputes(copy);
    } finally {
      copy.close();
    }
    await fsyncFile(partial);
    await rename(partial, dest);
    await fsyncDir(dirname(dest));
  } catch (e) {
    await Promise.all(SIDE_FILES.map((s) => rm(`${partial}${s}`, { force: true })));
    throw e;
  }
}

/** The copy's formula backlog worked off, a slice per transaction and turn, as the server does it. */
async function finishRecomputes(copy: Sqlite): Promise<void> {
  const backlog = new FormulaBacklog(new FundraisingRepository(copy));
  for (const table of backlog.tables())
    while (!copy.transaction(() => backlog.slice(table))()) await nextTurn();
}

/** Writes a small file so that it is either absent or whole: temporary name, fsync, rename, fsync the directory. */
export async function writeFileDurably(path: string, content: string): Promise<void> {
  const partial = `${path}.partial`;
  try {
    const fh = await open(partial, 'w', 0o600);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(partial, path);
    await fsyncDir(dirname(path));
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
}

export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** SHA-256 and size of a file, streamed. */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const MANIFEST_FIELDS: Record<keyof BackupManifest, 'string' | 'number' | 'object'> = {
  format: 'number',
  id: 'string',
  created_at: 'string',
  file_name: 'string',
  size: 'number',
  sha256: 'string',
  app_version: 'string',
  schema_version: 'number',
  schema_migration: 'string',
  event_count: 'number',
  last_position: 'number',
  head_hash: 'string',
  read_model_hash: 'string',
  read_model_tables: 'object',
};

/** Reads and shape-checks a manifest; throws an Error that says what is wrong with it. */
export async function readManifest(path: string): Promise<BackupManifest> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(
      `the manifest ${basename(path)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(raw);
  } catch (e) {
    throw new Error(`the manifest ${basename(path)} is not valid JSON`, { cause: e });
  }
  const wrong = Object.entries(MANIFEST_FIELDS)
    .filter(([k, t]) => typeof m?.[k] !== t)
    .map(([k]) => k);
  if (wrong.length)
    throw new Error(`the manifest ${basename(path)} lacks or mistypes ${wrong.join(', ')}`);
  if (m.format !== 1)
    throw new Error(`the manifest format ${String(m.format)} is not one this version reads`);
  if (
    !Array.isArray(m.read_model_tables) ||
    !m.read_model_tables.every((t) => typeof t === 'string')
  )
    throw new Error('the manifest lists its read-model tables wrongly');
  return m as unknown as BackupManifest;
}
