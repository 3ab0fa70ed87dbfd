import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type BackupCheck, type BackupManifest } from '@crm/events';
import { MIGRATIONS } from '@crm/migrations';
import Database from 'better-sqlite3';
import { openStore } from '../../application';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { chainHashOfStored, GENESIS_HASH } from '../../infrastructure/event-store/hash-chain';
import { logFacts } from './backup-inspection';
import { exists, readManifest, sha256File } from './backup-files';
import { hashReadModelsInSteps } from './read-model-hash';

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

const BATCH = 20_000;
const KNOWN_SCHEMA = Math.max(...MIGRATIONS.map((m) => Number(/(\d{13})$/.exec(m.name)?.[1] ?? 0)));

/**
 * Everything that makes a backup trustworthy, each as a named check: the manifest, the file's
 * checksum, SQLite's integrity check on the copy opened read-only (never written, never opened in
 * place for writing), that it is a Venture CRM database this version can run, that its log is whole
 * and chained, that it is a prefix of the live log, and that replaying its events reproduces its read
 * models. Checks after a failed one that they depend on report "skipped" and fail.
 */
export async function verifyBackupFile(
  file: string,
  manifestPath: string,
  options: VerifyOptions = {},
): Promise<Verification> {
  const checks: BackupCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const skip = (name: string, why: string) => add(name, false, `skipped: ${why}`);

  // 1. The manifest beside the file, and the one in the log.
  let manifest: BackupManifest | null = null;
  try {
    const onDisk = await readManifest(manifestPath);
    if (options.recorded && JSON.stringify(onDisk) !== JSON.stringify(options.recorded)) {
      add(
        'manifest',
        false,
        'the manifest beside the file differs from the one recorded in the log when the backup was taken',
      );
      manifest = options.recorded;
    } else {
      add(
        'manifest',
        true,
        options.recorded
          ? 'present, and equal to the one recorded in the log'
          : 'present and well-formed',
      );
      manifest = onDisk;
    }
  } catch (e) {
    add('manifest', false, (e as Error).message);
    manifest = options.recorded ?? null;
  }

  // 2. The bytes.
  if (!(await exists(file))) add('checksum', false, `the file ${basename(file)} is missing`);
  else if (!manifest) skip('checksum', 'there is no manifest to compare with');
  else {
    const { sha256, size } = await sha256File(file);
    if (size !== manifest.size)
      add('checksum', false, `the file has ${size} bytes; the manifest says ${manifest.size}`);
    else if (sha256 !== manifest.sha256)
      add('checksum', false, `SHA-256 ${sha256} differs from the manifest's ${manifest.sha256}`);
    else add('checksum', true, `SHA-256 ${sha256}, ${size} bytes`);
  }

  // 3. SQLite's own check, on the copy opened read-only (in a worker: on a large file it takes seconds).
  let db: Database.Database | null = null;
  if (!(await exists(file))) skip('integrity', 'the file is missing');
  else {
    const result = await integrityCheck(file);
    if ('error' in result)
      add('integrity', false, `not a readable SQLite database: ${result.error}`);
    else {
      const ok = result.rows.length === 1 && result.rows[0] === 'ok';
      add(
        'integrity',
        ok,
        ok
          ? 'PRAGMA integrity_check: ok'
          : `PRAGMA integrity_check: ${result.rows.slice(0, 5).join('; ')}${result.rows.length > 5 ? ` (and ${result.rows.length - 5} more)` : ''}`,
      );
      if (ok) {
        try {
          db = new Database(file, { readonly: true, fileMustExist: true });
        } catch (e) {
          checks[checks.length - 1] = {
            name: 'integrity',
            ok: false,
            detail: `the copy passed the check but cannot be opened: ${(e as Error).message}`,
          };
        }
      }
    }
  }

  try {
    // 4. Ours, and runnable by this version.
    let facts: ReturnType<typeof logFacts> | null = null;
    if (!db) skip('schema', 'the file is not a sound SQLite database');
    else {
      const tables = new Set(
        (
          db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
            name: string;
          }[]
        ).map((r) => r.name),
      );
      if (!tables.has('events') || !tables.has('schema_migrations'))
        add(
          'schema',
          false,
          'this is not a Venture CRM database (no event log or migration table)',
        );
      else {
        facts = logFacts(db);
        if (facts.schema_version > KNOWN_SCHEMA)
          add(
            'schema',
            false,
            `made by a newer version (schema ${facts.schema_migration}); this version knows up to ${KNOWN_SCHEMA}`,
          );
        else if (manifest && facts.schema_migration !== manifest.schema_migration)
          add(
            'schema',
            false,
            `schema ${facts.schema_migration} differs from the manifest's ${manifest.schema_migration}`,
          );
        else add('schema', true, `Venture CRM database, schema ${facts.schema_migration}`);
      }
    }

    // 5. The log: whole, contiguous, chained, and what the manifest says.
    if (!db || !facts) skip('log', 'no event log to read');
    else {
      const broken = await verifyChain(db);
      if (broken) add('log', false, broken);
      else if (
        manifest &&
        (facts.event_count !== manifest.event_count ||
          facts.last_position !== manifest.last_position ||
          facts.head_hash !== manifest.head_hash)
      ) {
        add(
          'log',
          false,
          `the copy holds ${facts.event_count} events up to position ${facts.last_position} (head ${facts.head_hash.slice(0, 12)}…); the manifest says ${manifest.event_count} up to ${manifest.last_position} (head ${manifest.head_hash.slice(0, 12)}…)`,
        );
      } else
        add(
          'log',
          true,
          `${facts.event_count} events, positions 1..${facts.last_position} contiguous, every hash chains to the head ${facts.head_hash.slice(0, 12)}…`,
        );
    }

    // 6. A prefix of the live log: same position, same chained hash (which covers every event before it).
    if (options.live) {
      if (!facts || !db) skip('prefix', 'no event log to compare');
      else if (checks.find((c) => c.name === 'log')?.ok !== true)
        skip('prefix', "the copy's log is not whole");
      else add('prefix', ...prefixOfLive(options.live, facts.last_position, facts.head_hash));
    }

    // 7. Replaying the copy's events reproduces its read models.
    if (options.replay !== false) {
      if (!manifest || !db || checks.some((c) => !c.ok)) skip('replay', 'an earlier check failed');
      else {
        db.close();
        db = null;
        add('replay', ...(await replayMatches(file, manifest, options.scratchDir)));
      }
    }
  } finally {
    db?.close();
  }
  return { ok: checks.length > 0 && checks.every((c) => c.ok), manifest, checks };
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

/** Replays the copy's events on a scratch copy (the backup file itself is only read) and compares the hash. */
async function replayMatches(
  file: string,
  manifest: BackupManifest,
  scratchDir = tmpdir(),
): Promise<[boolean, string]> {
  const dir = await mkdtemp(join(scratchDir, 'crm-verify-'));
  try {
    const scratch = join(dir, 'crm.sqlite');
    await copyFile(file, scratch);
    const store = await openStore({ databaseFile: scratch, seed: false });
    try {
      const events = await replayInSteps(store.get(ProjectionRunner));
      const hash = await hashReadModelsInSteps(
        store.get<Sqlite>(SQLITE),
        manifest.read_model_tables,
      );
      return hash === manifest.read_model_hash
        ? [true, `replaying ${events} events reproduces the read-model hash ${hash.slice(0, 12)}…`]
        : [
            false,
            `replaying ${events} events gives the read-model hash ${hash.slice(0, 12)}…; the manifest says ${manifest.read_model_hash.slice(0, 12)}…`,
          ];
    } finally {
      await store.close();
    }
  } catch (e) {
    return [false, `the replay failed: ${(e as Error).message}`];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rebuild of a scratch copy, yielding between batches so the server keeps answering. */
export async function replayInSteps(runner: ProjectionRunner): Promise<number> {
  return (await runner.rebuildInSteps(nextTurn)).events;
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
