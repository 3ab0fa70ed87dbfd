import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCore } from '../support/core-handles';
import { dumpReadModels } from '../support/read-models';
import { startServer, type ServerProcess } from '../support/server-process';
import {
  assertAcknowledged,
  assertContiguous,
  investorIds,
  writeBurst,
} from '../support/write-burst';

/** Each test starts servers or copies files; the default 5 s is for unit tests. */
const TIMEOUT_MS = 120_000;

/**
 * F3, disk full: the data directory is a tmpfs of a few MB. Writes must fail with a clear 507 and
 * never a 2xx that was not stored; when space returns, writes resume without a restart; a backup that
 * fails for lack of space leaves the good one as it was. Mounting needs root: without it this test
 * fails with the reason (it never skips).
 */
const SIZE_MB = 8;

function mountTmpfs(at: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MB}m,mode=0700`, 'tmpfs', at], {
      stdio: 'pipe',
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(
      `the disk-full test needs a small filesystem: \`mount -t tmpfs -o size=${SIZE_MB}m tmpfs ${at}\` failed (${(err.stderr?.toString() || err.message).trim()}). ` +
        'Run the fault suite as root (or in a container with CAP_SYS_ADMIN).',
      { cause: e },
    );
  }
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('a full disk', () => {
  let root: string;
  let mount: string;
  let mounted = false;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'crm-full-'));
    mount = join(root, 'fs');
    mkdirSync(mount);
    mountTmpfs(mount);
    mounted = true;
  }, TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    if (mounted) execFileSync('umount', [mount]);
    rmSync(root, { recursive: true, force: true });
  }, TIMEOUT_MS);

  it(
    'refuses writes with 507, loses nothing acknowledged, and recovers without a restart',
    async () => {
      const data = join(mount, 'data');
      server = await startServer(data, {
        CRM_BACKUP_SCHEDULER: 'off',
        CRM_RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      });
      const auth = { Authorization: server.auth };
      const ids = await investorIds(server);

      // A good backup first, on the same small disk.
      const good = (await (
        await fetch(`${server.url}/api/fundraising/backup`, { method: 'POST', headers: auth })
      ).json()) as { id: string; file_name: string; manifest: { sha256: string } };
      const goodFile = join(data, 'backups', good.file_name);
      expect(sha(goodFile)).toBe(good.manifest.sha256);
      const verified = await fetch(`${server.url}/api/fundraising/backups/${good.id}/verify`, {
        method: 'POST',
        headers: auth,
      });
      expect(((await verified.json()) as { ok: boolean }).ok).toBe(true);

      // Ballast to give back later: "space returns".
      const ballast = join(mount, 'ballast');
      writeFileSync(ballast, Buffer.alloc(1536 * 1024, 7));

      // Fill the disk: every answer is a 200 (stored) or a 507 (not stored), never anything else.
      const burst = writeBurst(server, ids, {
        clients: 3,
        tag: 'full',
        notes: (n) => `${n} `.repeat(4000),
      });
      const deadline = Date.now() + 60_000;
      while (burst.refused.filter((r) => r.status === 507).length < 10 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      await burst.stop();
      expect(burst.acks.length).toBeGreaterThan(10);
      const statuses = [...new Set(burst.refused.map((r) => r.status))];
      expect(statuses).toEqual([507]);
      expect(JSON.parse(burst.refused[0].body)).toEqual({
        statusCode: 507,
        error: 'Insufficient Storage',
        message: 'the server is out of disk space; nothing was saved',
        reason: 'disk_full',
      });
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);

      // A backup on the full disk fails cleanly and leaves the good one (and nothing else) in place.
      const files = readdirSync(join(data, 'backups')).sort();
      const failed = await fetch(`${server.url}/api/fundraising/backup`, {
        method: 'POST',
        headers: auth,
      });
      expect(failed.status).toBe(507);
      expect(readdirSync(join(data, 'backups')).sort()).toEqual(files);
      expect(sha(goodFile)).toBe(good.manifest.sha256);

      // Space comes back: writes resume on the same process.
      rmSync(ballast);
      const again = writeBurst(server, ids, { clients: 2, tag: 'back' });
      while (again.acks.length < 20 && Date.now() < deadline + 30_000)
        await new Promise((r) => setTimeout(r, 20));
      await again.stop();
      expect(again.refused).toEqual([]);
      const after = await fetch(`${server.url}/api/fundraising/backups/${good.id}/verify`, {
        method: 'POST',
        headers: auth,
      });
      expect(((await after.json()) as { ok: boolean }).ok).toBe(true);
      await server.stop();
      server = undefined;

      const db = new Database(join(data, 'crm.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      assertContiguous(db);
      assertAcknowledged(db, [...burst.acks, ...again.acks]);
      // The rebuild writes every read model again: do it on a copy off the small disk, taken
      // through SQLite (the database is its file and its WAL; the file alone may lack the last
      // pages, when the WAL was not checkpointed into it at the server's exit).
      await db.backup(join(root, 'crm.sqlite'));
      db.close();
      const core = await openCore({ databaseFile: join(root, 'crm.sqlite'), seed: false });
      const live = dumpReadModels(core.db);
      await core.runner.rebuild();
      expect(dumpReadModels(core.db)).toBe(live);
      await core.close();
    },
    TIMEOUT_MS,
  );
});
