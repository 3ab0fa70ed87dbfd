import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashReadModels, readModelTables } from '../support/read-models';
import { ROOT, startServer } from '../support/server-process';
import { baseIds, startTestApp, type TestApp } from '../support/test-app';

/** Each test starts servers or copies files; the default 5 s is for unit tests. */
const TIMEOUT_MS = 120_000;

/**
 * F4 and F5: a damaged backup is refused by verify, by restore-preview and by the disaster-recovery
 * CLI, and the live database is left as it was; the intact backup then restores by both paths.
 */
const RESTORE_CLI = join(ROOT, 'apps', 'api', 'dist', 'cli', 'restore.js');

function runRestoreCli(dataDir: string, from: string): Promise<{ code: number; out: string }> {
  if (!existsSync(RESTORE_CLI))
    throw new Error(`${RESTORE_CLI} is missing: run \`npm run build\` first`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RESTORE_CLI, '--from', from],
      { env: { ...process.env, CRM_ENV: 'test', CRM_DATA_DIR: dataDir } },
      (err, stdout, stderr) => {
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          out: `${stdout}${stderr}`,
        });
      },
    );
  });
}

const filesOf = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => f.name)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );

/** The fund's data: every read model but the head row, which follows the log's position (a BackupVerified moves it). */
const dataHash = (db: Database.Database) =>
  hashReadModels(
    db,
    readModelTables(db).filter((table) => table !== 'fundraising_state'),
  );

function liveRecords(db: Database.Database): Record<string, unknown> {
  const rows = db
    .prepare('SELECT id, values_json FROM fundraising_records WHERE archived = 0 ORDER BY id')
    .all() as { id: string; values_json: string }[];
  return Object.fromEntries(
    rows.map((r) => [
      r.id,
      Object.fromEntries(
        Object.entries(JSON.parse(r.values_json)).filter(
          ([, v]) => v !== null && !(Array.isArray(v) && v.length === 0),
        ),
      ),
    ]),
  );
}

/**
 * The bytes of a copy of `db` whose event at `position` carries one more metadata key, a change no read
 * model shows. The append-only triggers are lifted for the edit and put back as they were.
 */
function alteredCopy(db: Buffer, position: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'crm-altered-'));
  try {
    const path = join(dir, 'copy.sqlite');
    writeFileSync(path, db);
    const copy = new Database(path);
    const triggers = copy
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
      .all() as { name: string; sql: string }[];
    copy.transaction(() => {
      for (const tr of triggers) copy.exec(`DROP TRIGGER ${tr.name}`);
      const changed = copy
        .prepare(
          "UPDATE events SET metadata = json_set(metadata, '$.note', 'edited afterwards') WHERE position = ?",
        )
        .run(position).changes;
      if (changed !== 1) throw new Error(`no event at position ${position}`);
      for (const tr of triggers) copy.exec(tr.sql);
    })();
    copy.pragma('journal_mode = DELETE');
    copy.close();
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Backup {
  id: string;
  file_name: string;
  manifest: {
    sha256: string;
    size: number;
    last_position: number;
    event_count: number;
    read_model_hash: string;
    read_model_tables: string[];
  };
}

describe('corrupt backups', () => {
  let t: TestApp;
  let backup: Backup;
  let file: string;
  let manifestFile: string;
  let pristine: { db: Buffer; manifest: string };
  let cliData: string;
  let before: { hash: string; head: number };

  async function addInvestors(n: number, prefix: string) {
    const ids = await baseIds(t);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: Array.from({ length: n }, (_, i) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: `${prefix} ${i}` },
        })),
      })
      .expect(200);
  }

  beforeAll(async () => {
    t = await startTestApp({ CRM_BACKUP_SCHEDULER: 'off' });
    await addInvestors(40, 'Before');
    backup = (await t.http().post('/api/fundraising/backup').expect(201)).body;
    file = join(t.config.backupDir, backup.file_name);
    manifestFile = file.replace(/\.sqlite$/, '.manifest.json');
    pristine = { db: readFileSync(file), manifest: readFileSync(manifestFile, 'utf8') };
    await addInvestors(15, 'After');
    // A stopped server's data directory, for the disaster-recovery CLI.
    cliData = mkdtempSync(join(tmpdir(), 'crm-cli-live-'));
    t.core.db.exec(`VACUUM INTO '${join(cliData, 'crm.sqlite')}'`);
  }, TIMEOUT_MS);
  afterAll(async () => {
    await t.close();
    rmSync(cliData, { recursive: true, force: true });
  }, TIMEOUT_MS);

  const foreignDb = () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-foreign-'));
    const other = new Database(join(dir, 'notes.sqlite'));
    other.exec(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('groceries'), ('call mum');",
    );
    other.close();
    const bytes = readFileSync(join(dir, 'notes.sqlite'));
    rmSync(dir, { recursive: true, force: true });
    return bytes;
  };
  const withManifest = (change: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(pristine.manifest);
    change(m);
    writeFileSync(manifestFile, JSON.stringify(m, null, 2));
  };

  const cases: [string, () => void, string[], string[]][] = [
    [
      'one flipped byte in the page area',
      () => {
        const b = Buffer.from(pristine.db);
        b[3 * 4096 + 517] ^= 0xff;
        writeFileSync(file, b);
      },
      ['checksum'],
      ['checksum'],
    ],
    [
      'truncated to half',
      () => writeFileSync(file, pristine.db.subarray(0, pristine.db.length >> 1)),
      ['checksum'],
      ['checksum'],
    ],
    [
      'zero bytes',
      () => writeFileSync(file, Buffer.alloc(0)),
      ['checksum', 'schema'],
      ['checksum', 'schema'],
    ],
    [
      'a valid SQLite file of another application, with a manifest to match its bytes',
      () => {
        const bytes = foreignDb();
        writeFileSync(file, bytes);
        withManifest((m) =>
          Object.assign(m, {
            size: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
          }),
        );
      },
      ['manifest', 'schema'],
      ['schema'],
    ],
    [
      'a manifest with a wrong checksum',
      () => withManifest((m) => (m.sha256 = 'f'.repeat(64))),
      ['manifest'],
      ['checksum'],
    ],
  ];

  it.each(cases)(
    'refuses %s by verify, restore-preview and the restore CLI, and leaves the live database alone',
    async (_name, corrupt, apiFails, cliFails) => {
      before = { hash: dataHash(t.core.db), head: t.core.store.lastPosition() };
      const cliBefore = filesOf(cliData);
      corrupt();
      try {
        const v = await t.http().post(`/api/fundraising/backups/${backup.id}/verify`).expect(200);
        expect(v.body.ok).toBe(false);
        const failed = (v.body.checks as { name: string; ok: boolean }[])
          .filter((c) => !c.ok)
          .map((c) => c.name);
        expect(failed).toEqual(expect.arrayContaining(apiFails));
        expect(t.core.store.readAll(before.head)).toEqual([
          expect.objectContaining({
            type: 'BackupVerified',
            data: expect.objectContaining({ ok: false }),
          }),
        ]);

        const preview = await t
          .http()
          .post('/api/fundraising/restore-preview')
          .send({ backup_id: backup.id })
          .expect(409);
        expect(preview.body.message).toMatch(/failed verification/);

        const cli = await runRestoreCli(cliData, file);
        expect([cli.code, cli.out]).toEqual([2, expect.stringContaining('nothing was changed')]);
        for (const name of cliFails) expect(cli.out).toMatch(new RegExp(`FAIL ${name}:`));
        expect(filesOf(cliData)).toEqual(cliBefore);

        expect(dataHash(t.core.db)).toBe(before.hash);
        expect(t.core.store.readAll(before.head).map((e) => e.type)).toEqual(['BackupVerified']);
      } finally {
        writeFileSync(file, pristine.db);
        writeFileSync(manifestFile, pristine.manifest);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'refuses a copy whose log was altered in the middle where no read model shows it, by its chain hash, in verify, restore-preview and the restore CLI',
    async () => {
      before = { hash: dataHash(t.core.db), head: t.core.store.lastPosition() };
      const cliBefore = filesOf(cliData);
      // Given a copy of the backup in which one event's metadata changed (its row hash left as it was),
      // and a manifest whose checksum and size match the altered bytes.
      const middle = Math.floor(backup.manifest.last_position / 2);
      const bytes = alteredCopy(pristine.db, middle);
      writeFileSync(file, bytes);
      withManifest((m) =>
        Object.assign(m, {
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        }),
      );
      const chainReason = `the event at position ${middle} does not match its chain hash`;
      try {
        // When it is verified, then the log's chain gives it away (the server also sees that the file is
        // not the one the log recorded; the CLI, which has only the file and its manifest, has the chain alone).
        const v = await t.http().post(`/api/fundraising/backups/${backup.id}/verify`).expect(200);
        const checks = v.body.checks as { name: string; ok: boolean; detail: string }[];
        expect(checks.find((c) => c.name === 'log')).toEqual({
          name: 'log',
          ok: false,
          detail: chainReason,
        });
        expect(
          checks.filter((c) => ['integrity', 'schema'].includes(c.name)).every((c) => c.ok),
        ).toBe(true);

        const preview = await t
          .http()
          .post('/api/fundraising/restore-preview')
          .send({ backup_id: backup.id })
          .expect(409);
        expect(preview.body.details.checks).toEqual(
          expect.arrayContaining([{ name: 'log', ok: false, detail: chainReason }]),
        );

        const cli = await runRestoreCli(cliData, file);
        expect([cli.code, cli.out]).toEqual([2, expect.stringContaining('nothing was changed')]);
        expect(cli.out).toContain(`FAIL log: ${chainReason}`);
        expect(filesOf(cliData)).toEqual(cliBefore);

        expect(dataHash(t.core.db)).toBe(before.hash);
        expect(t.core.store.readAll(before.head).map((e) => e.type)).toEqual(['BackupVerified']);
      } finally {
        writeFileSync(file, pristine.db);
        writeFileSync(manifestFile, pristine.manifest);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'restores the intact backup as compensating events (nothing after it lost, undoable)',
    async () => {
      const v = await t.http().post(`/api/fundraising/backups/${backup.id}/verify`).expect(200);
      expect(v.body.ok).toBe(true);
      const copy = new Database(file, { readonly: true });
      const thenRecords = liveRecords(copy);
      copy.close();
      expect(Object.keys(liveRecords(t.core.db)).length).toBe(Object.keys(thenRecords).length + 15);

      const head = t.core.store.lastPosition();
      const preview = await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ backup_id: backup.id })
        .expect(200);
      expect(preview.body).toMatchObject({
        target: { position: backup.manifest.last_position },
        backup: { id: backup.id },
        counts: { to_archive: 15 },
      });
      const restored = await t
        .http()
        .post('/api/fundraising/restore')
        .send({ token: preview.body.token })
        .expect(200);
      expect(liveRecords(t.core.db)).toEqual(thenRecords);
      // Nothing after the backup was lost: the log only grew, by restore events.
      const appended = t.core.store.readAll(head);
      expect(appended.length).toBe(restored.body.events);
      expect(new Set(appended.map((e) => e.metadata.source))).toEqual(new Set(['restore']));
      // ...and it can be undone.
      await t
        .http()
        .post('/api/fundraising/undo')
        .send({ correlation_id: restored.body.correlation_id })
        .expect(200);
      expect(Object.keys(liveRecords(t.core.db)).length).toBe(Object.keys(thenRecords).length + 15);
    },
    TIMEOUT_MS,
  );

  it(
    'restores the intact backup into a lost data directory with the CLI, and the server starts from it',
    async () => {
      writeFileSync(join(cliData, 'crm.sqlite'), 'garbage where a database used to be');
      const cli = await runRestoreCli(cliData, file);
      expect([cli.code, cli.out]).toEqual([0, expect.stringContaining('Start the server')]);
      const aside = readdirSync(cliData).find((f) => f.startsWith('replaced-'))!;
      expect(readFileSync(join(cliData, aside, 'crm.sqlite'), 'utf8')).toBe(
        'garbage where a database used to be',
      );
      const server = await startServer(cliData, { CRM_BACKUP_SCHEDULER: 'off' });
      try {
        const ready = await fetch(`${server.url}/api/ready`);
        expect({ status: ready.status, body: await ready.json() }).toEqual({
          status: 200,
          body: expect.objectContaining({ status: 'ready' }),
        });
      } finally {
        await server.stop();
      }
      const db = new Database(join(cliData, 'crm.sqlite'), { readonly: true });
      expect(db.prepare('SELECT COUNT(*) AS n, MAX(position) AS p FROM events').get()).toEqual({
        n: backup.manifest.event_count,
        p: backup.manifest.last_position,
      });
      expect(hashReadModels(db, backup.manifest.read_model_tables)).toBe(
        backup.manifest.read_model_hash,
      );
      db.close();
    },
    TIMEOUT_MS,
  );

  it(
    'refuses to restore over a database a running server has open',
    async () => {
      const server = await startServer(cliData, { CRM_BACKUP_SCHEDULER: 'off' });
      try {
        const before = filesOf(cliData);
        const cli = await runRestoreCli(cliData, file);
        expect([cli.code, cli.out]).toEqual([3, expect.stringContaining('is the server running?')]);
        expect(Object.keys(filesOf(cliData))).toEqual(Object.keys(before));
      } finally {
        await server.stop();
      }
    },
    TIMEOUT_MS,
  );
});
