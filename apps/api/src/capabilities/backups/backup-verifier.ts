import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { type BackupCheck, type BackupManifest } from '@crm/events';
import { MIGRATIONS } from '@crm/migrations';
import Database from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';
import { chainHashOfStored, GENESIS_HASH } from '../../infrastructure/event-store/hash-chain';
import { runInWorker, workerEntry } from '../../infrastructure/workers/worker-thread';
import { type CopyFacts, logFacts } from './backup-inspection';
import { exists, readManifest, sha256File } from './backup-files';
import { replayMatches } from './backup-replay';

export { replayInSteps } from './backup-replay';

export interface VerifyOptions {
  /** The manifest the log recorded for this backup; the file beside the copy must match it. */
  recorded?: BackupManifest;
  /** The live database, when there is one: the copy's log must be a prefix of it. */
  live?: Sqlite;
  /** Replay the copy's events on a scratch copy and compare the read-model hash (slow; on by default). */
  replay?: boolean;
  /** Where scratch copies go; the system's temporary directory by default. */
  scratchDir?: string;
}

export interface Verification {
  ok: boolean;
  manifest: BackupManifest | null;
  checks: BackupCheck[];
}

/** Events per step of the chain check: a few milliseconds of hashing between turns of the event loop. */
const BATCH = 2_000;
const KNOWN_SCHEMA = Math.max(...MIGRATIONS.map((m) => Number(/(\d{13})$/.exec(m.name)?.[1] ?? 0)));

/** The checks found so far, in order; a check skipped for an earlier failure counts as failed. */
class Checks {
  readonly list: BackupCheck[] = [];
  add(name: string, ok: boolean, detail: string): void {
    this.list.push({ name, ok, detail });
  }
  skip(name: string, why: string): void {
    this.add(name, false, `skipped: ${why}`);
  }
  passed(name: string): boolean {
    return this.list.find((c) => c.name === name)?.ok === true;
  }
  anyFailed(): boolean {
    return this.list.some((c) => !c.ok);
  }
}

/**
 * Everything that makes a backup trustworthy, each as a named check: the manifest, the file's
 * checksum, SQLite's integrity check on the copy opened read-only (never written, never opened in
 * place for writing), that it is a Venture CRM database this version can run, that its log is whole
 * and chained, that it is a prefix of the live log, and that replaying its events reproduces its read
 * models. Checks after a failed one that they depend on report "skipped" and fail. They run in a
 * worker thread with its own connections (the copy, and the live base read-only): the server keeps
 * answering meanwhile.
 */
export async function verifyBackupFile(
  file: string,
  manifestPath: string,
  options: VerifyOptions = {},
): Promise<Verification> {
  // An in-memory live base cannot be opened by another connection: checked here, as it always was.
  if (options.live?.memory) return verifyInPlace(file, manifestPath, options);
  const input: VerifyInWorker = {
    file,
    manifestPath,
    recorded: options.recorded,
    liveFile: options.live?.name,
    replay: options.replay,
    scratchDir: options.scratchDir,
  };
  return runInWorker<Verification>(workerEntry(__dirname, 'backup-verify.worker'), input);
}

/** What the worker needs to verify a backup: the live base by its file, opened read-only there. */
export type VerifyInWorker = Omit<VerifyOptions, 'live'> & {
  file: string;
  manifestPath: string;
  liveFile?: string;
};

/**
 * verifyBackupFile on this thread. The checks read every page and hash every event of the copy and
 * replay it: seconds on a large base, so the server calls it in a worker (backup-verify.worker.ts).
 */
export async function verifyInPlace(
  file: string,
  manifestPath: string,
  options: VerifyOptions,
): Promise<Verification> {
  const checks = new Checks();
  const manifest = await checkManifest(checks, manifestPath, options.recorded);
  await checkBytes(checks, file, manifest);
  const db = await checkIntegrity(checks, file);
  try {
    const facts = db ? checkSchema(checks, db, manifest) : null;
    if (!db) checks.skip('schema', 'the file is not a sound SQLite database');
    if (db && facts) await checkLog(checks, db, facts, manifest);
    else checks.skip('log', 'no event log to read');
    if (options.live) {
      if (!facts || !db) checks.skip('prefix', 'no event log to compare');
      else if (!checks.passed('log')) checks.skip('prefix', "the copy's log is not whole");
      else
        checks.add('prefix', ...prefixOfLive(options.live, facts.last_position, facts.head_hash));
    }
  } finally {
    db?.close();
  }
  if (options.replay !== false) {
    if (!manifest || !db || checks.anyFailed()) checks.skip('replay', 'an earlier check failed');
    else
      checks.add(
        'replay',
        ...(await replayMatches({ file, manifest, scratchDir: options.scratchDir })),
      );
  }
  const list = checks.list;
  return { ok: list.length > 0 && list.every((c) => c.ok), manifest, checks: list };
}

/** 1. The manifest beside the file, and the one in the log. Returns the manifest to check against. */
async function checkManifest(
  checks: Checks,
  manifestPath: string,
  recorded: BackupManifest | undefined,
): Promise<BackupManifest | null> {
  let onDisk: BackupManifest;
  try {
    onDisk = await readManifest(manifestPath);
  } catch (e) {
    checks.add('manifest', false, (e as Error).message);
    return recorded ?? null;
  }
  if (recorded && JSON.stringify(onDisk) !== JSON.stringify(recorded)) {
    checks.add(
      'manifest',
      false,
      'the manifest beside the file differs from the one recorded in the log when the backup was taken',
    );
    return recorded;
  }
  checks.add(
    'manifest',
    true,
    recorded ? 'present, and equal to the one recorded in the log' : 'present and well-formed',
  );
  return onDisk;
}

/** 2. The bytes. */
async function checkBytes(
  checks: Checks,
  file: string,
  manifest: BackupManifest | null,
): Promise<void> {
  if (!(await exists(file)))
    return checks.add('checksum', false, `the file ${basename(file)} is missing`);
  if (!manifest) return checks.skip('checksum', 'there is no manifest to compare with');
  const { sha256, size } = await sha256File(file);
  if (size !== manifest.size)
    checks.add('checksum', false, `the file has ${size} bytes; the manifest says ${manifest.size}`);
  else if (sha256 !== manifest.sha256)
    checks.add(
      'checksum',
      false,
      `SHA-256 ${sha256} differs from the manifest's ${manifest.sha256}`,
    );
  else checks.add('checksum', true, `SHA-256 ${sha256}, ${size} bytes`);
}

/**
 * 3. SQLite's own check, on the copy opened read-only (in a worker: on a large file it takes
 * seconds). Returns the copy opened read-only when it passed, for the checks that read it.
 */
async function checkIntegrity(checks: Checks, file: string): Promise<Database.Database | null> {
  if (!(await exists(file))) {
    checks.skip('integrity', 'the file is missing');
    return null;
  }
  const result = await integrityCheck(file);
  if ('error' in result) {
    checks.add('integrity', false, `not a readable SQLite database: ${result.error}`);
    return null;
  }
  const ok = result.rows.length === 1 && result.rows[0] === 'ok';
  if (!ok) {
    const more = result.rows.length > 5 ? ` (and ${result.rows.length - 5} more)` : '';
    checks.add(
      'integrity',
      false,
      `PRAGMA integrity_check: ${result.rows.slice(0, 5).join('; ')}${more}`,
    );
    return null;
  }
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    checks.add('integrity', true, 'PRAGMA integrity_check: ok');
    return db;
  } catch (e) {
    const why = `the copy passed the check but cannot be opened: ${(e as Error).message}`;
    checks.add('integrity', false, why);
    return null;
  }
}

/** 4. Ours, and runnable by this version. Returns the log's facts when it is a Venture CRM database. */
function checkSchema(
  checks: Checks,
  db: Database.Database,
  manifest: BackupManifest | null,
): CopyFacts | null {
  const tables = new Set(
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name),
  );
  if (!tables.has('events') || !tables.has('schema_migrations')) {
    checks.add(
      'schema',
      false,
      'this is not a Venture CRM database (no event log or migration table)',
    );
    return null;
  }
  const facts = logFacts(db);
  if (facts.schema_version > KNOWN_SCHEMA)
    checks.add(
      'schema',
      false,
      `made by a newer version (schema ${facts.schema_migration}); this version knows up to ${KNOWN_SCHEMA}`,
    );
  else if (manifest && facts.schema_migration !== manifest.schema_migration)
    checks.add(
      'schema',
      false,
      `schema ${facts.schema_migration} differs from the manifest's ${manifest.schema_migration}`,
    );
  else checks.add('schema', true, `Venture CRM database, schema ${facts.schema_migration}`);
  return facts;
}

/** 5. The log: whole, contiguous, chained, and what the manifest says. */
async function checkLog(
  checks: Checks,
  db: Database.Database,
  facts: CopyFacts,
  manifest: BackupManifest | null,
): Promise<void> {
  const broken = await verifyChain(db);
  if (broken) return checks.add('log', false, broken);
  if (
    manifest &&
    (facts.event_count !== manifest.event_count ||
      facts.last_position !== manifest.last_position ||
      facts.head_hash !== manifest.head_hash)
  )
    return checks.add(
      'log',
      false,
      `the copy holds ${facts.event_count} events up to position ${facts.last_position} (head ${facts.head_hash.slice(0, 12)}…); the manifest says ${manifest.event_count} up to ${manifest.last_position} (head ${manifest.head_hash.slice(0, 12)}…)`,
    );
  checks.add(
    'log',
    true,
    `${facts.event_count} events, positions 1..${facts.last_position} contiguous, every hash chains to the head ${facts.head_hash.slice(0, 12)}…`,
  );
}

/** Recomputes every chain hash from the genesis, in batches with turns of the event loop between them. */
async function verifyChain(db: Database.Database): Promise<string | null> {
  const rows = db
    .prepare(
      'SELECT position, event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
    )
    .raw(true);
  let prev = GENESIS_HASH;
  let expected = 1;
  for (;;) {
    const batch = rows.all(expected - 1, BATCH) as [
      number,
      string,
      string,
      number,
      string,
      number,
      string,
      string,
      string,
      string,
    ][];
    if (batch.length === 0) return null;
    for (const [
      position,
      eventId,
      streamId,
      version,
      type,
      schemaVersion,
      data,
      metadata,
      recordedAt,
      hash,
    ] of batch) {
      if (position !== expected)
        return `position ${expected} is missing (the next event is at ${position})`;
      if (
        chainHashOfStored(
          prev,
          position,
          eventId,
          streamId,
          version,
          type,
          schemaVersion,
          data,
          metadata,
          recordedAt,
        ) !== hash
      )
        return `the event at position ${position} does not match its chain hash`;
      prev = hash;
      expected++;
    }
    await nextTurn();
  }
}

export function prefixOfLive(
  live: Sqlite,
  lastPosition: number,
  headHash: string,
): [boolean, string] {
  if (lastPosition === 0) return [true, "the copy's log is empty, a prefix of any log"];
  const row = live.prepare('SELECT hash FROM events WHERE position = ?').get(lastPosition) as
    { hash: string } | undefined;
  const head = (
    live.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }
  ).p;
  if (!row)
    return [
      false,
      `the live log ends at position ${head}, before the copy's ${lastPosition}: the copy is not of this database, or the live log lost events`,
    ];
  if (row.hash !== headHash)
    return [
      false,
      `the live event at position ${lastPosition} has another chain hash: the copy's history differs from the live one`,
    ];
  return [true, `positions 1..${lastPosition} equal the live log's (live head ${head})`];
}

/**
 * PRAGMA integrity_check in a worker thread, on its own read-only connection: the check reads every
 * page (about 13 s for an 800 MB base) and must not stop the server answering meanwhile. The worker
 * is plain JavaScript given as a string, so it runs the same from the built app and from the tests.
 */
function integrityCheck(file: string): Promise<{ rows: string[] } | { error: string }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    let db;
    try {
      db = new Database(workerData.file, { readonly: true, fileMustExist: true });
      parentPort.postMessage({ rows: db.pragma('integrity_check').map((r) => r.integrity_check) });
    } catch (e) {
      parentPort.postMessage({ error: e.message });
    } finally {
      if (db) db.close();
    }`;
  return new Promise((resolve) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: { file, driver: require.resolve('better-sqlite3') },
    });
    worker.once('message', (m: { rows: string[] } | { error: string }) => resolve(m));
    worker.once('error', (e) => resolve({ error: e.message }));
    worker.once('exit', (code) => resolve({ error: `the integrity check stopped (exit ${code})` }));
  });
}
