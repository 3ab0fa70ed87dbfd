import { execFile } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCore } from '../support/core-handles';
import { dumpReadModels, hashReadModels } from '../support/read-models';
import { liveServerSuite, ROOT } from '../support/server-process';
import {
  assertAcknowledged,
  assertContiguous,
  investorIds,
  writeBurst,
} from '../support/write-burst';

/** Each test starts servers or copies files; the default 5 s is for unit tests. */
const TIMEOUT_MS = 120_000;

/**
 * F6: a backup taken in the middle of a write burst completes, verifies, and restores to a
 * consistent prefix of the live history that holds every write acknowledged before it started.
 */
describe('a backup under load', () => {
  const suite = liveServerSuite('crm-load-', TIMEOUT_MS);

  it(
    'verifies and restores to a consistent prefix',
    async () => {
      const { dir, server } = suite;
      const auth = { Authorization: server.auth };
      const ids = await investorIds(server);
      const burst = writeBurst(server, ids, {
        clients: 6,
        tag: 'load',
        notes: (n) => `note ${n} `.repeat(1 + (n % 30)),
      });
      await new Promise((r) => setTimeout(r, 800));
      const ackedBefore = burst.acks.length;
      const startedAt = Date.now();
      const res = await fetch(`${server.url}/api/fundraising/backup`, {
        method: 'POST',
        headers: auth,
      });
      expect(res.status).toBe(201);
      const backup = (await res.json()) as {
        id: string;
        file_name: string;
        manifest: {
          last_position: number;
          event_count: number;
          head_hash: string;
          read_model_hash: string;
          read_model_tables: string[];
        };
      };
      const ackedDuring = burst.acks.length - ackedBefore;
      await new Promise((r) => setTimeout(r, 300));
      await burst.stop();
      expect(burst.refused).toEqual([]);
      // The server kept answering writes while the copy was made.
      expect(ackedDuring).toBeGreaterThan(0);

      const v = await fetch(`${server.url}/api/fundraising/backups/${backup.id}/verify`, {
        method: 'POST',
        headers: auth,
      });
      const verification = (await v.json()) as {
        ok: boolean;
        checks: { name: string; ok: boolean; detail: string }[];
      };
      expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
      expect(verification.ok).toBe(true);

      // Disaster-recovery restore of the copy into an empty data directory.
      const restored = join(dir, 'restored');
      const cli = await new Promise<{ code: number; out: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            join(ROOT, 'apps/api/dist/cli/restore.js'),
            '--from',
            join(dir, 'live', 'backups', backup.file_name),
          ],
          { env: { ...process.env, CRM_ENV: 'test', CRM_DATA_DIR: restored } },
          (err, out, errOut) =>
            resolve({
              code: err ? ((err as { code?: number }).code ?? 1) : 0,
              out: `${out}${errOut}`,
            }),
        );
      });
      expect([cli.code, cli.out]).toEqual([0, expect.stringContaining('Start the server')]);

      const db = new Database(join(restored, 'crm.sqlite'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      assertContiguous(db);
      const { n, p } = db.prepare('SELECT COUNT(*) AS n, MAX(position) AS p FROM events').get() as {
        n: number;
        p: number;
      };
      expect([n, p]).toEqual([backup.manifest.event_count, backup.manifest.last_position]);
      // Every write acknowledged before the backup was asked for is in it; none acknowledged after its position is.
      assertAcknowledged(
        db,
        burst.acks.filter((a) => a.at < startedAt),
      );
      const inCopy = db.prepare(
        "SELECT COUNT(*) AS n FROM events WHERE stream_id = ? AND type = 'RecordCreated'",
      );
      for (const a of burst.acks.filter((x) => x.version > backup.manifest.last_position))
        expect((inCopy.get(`record-${a.record_id}`) as { n: number }).n).toBe(0);
      // A prefix of the live log: the same chained hash at the copy's last position.
      const live = new Database(join(dir, 'live', 'crm.sqlite'), { readonly: true });
      expect(
        (live.prepare('SELECT hash FROM events WHERE position = ?').get(p) as { hash: string })
          .hash,
      ).toBe(backup.manifest.head_hash);
      live.close();
      expect(hashReadModels(db, backup.manifest.read_model_tables)).toBe(
        backup.manifest.read_model_hash,
      );
      db.close();

      const core = await openCore({ databaseFile: join(restored, 'crm.sqlite'), seed: false });
      const asRestored = dumpReadModels(core.db);
      await core.runner.rebuild();
      expect(dumpReadModels(core.db)).toBe(asRestored);
      await core.close();
    },
    TIMEOUT_MS,
  );
});
