import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_BACKUP_POLICY } from '@crm/domain';
import { BackupScheduler } from '../../apps/api/src/capabilities/backups/backup.scheduler';
import { runBackupDrill } from '../../apps/api/src/capabilities/backups/backup-drill';
import { restoreFromBackup } from '../../apps/api/src/capabilities/backups/disaster-restore';
import { type Clock } from '../../apps/api/src/infrastructure/clock';
import { JobScheduler } from '../../apps/api/src/infrastructure/scheduling/job-scheduler';
import { openCore } from '../support/core-handles';
import { hashReadModels } from '../support/read-models';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember, startTestApp, type TestApp } from '../support/test-app';

/** Tests that boot several apps or replay copies; the default 5 s is for unit tests. */
const SLOW_MS = 30_000;

const CHECKS = ['manifest', 'checksum', 'integrity', 'schema', 'log', 'prefix', 'replay'];

async function addInvestors(t: TestApp, n: number, prefix = 'LP') {
  const ids = await baseIds(t);
  const changes = Array.from({ length: n }, (_, i) => ({
    op: 'create',
    table_id: ids.investors,
    values: { [ids.inv('name')]: `${prefix} ${i}` },
  }));
  await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
}

describe('backups', () => {
  const t = apiSuite({ timeoutMs: SLOW_MS });

  it(
    'are for admins only',
    async () => {
      const member = await createMember(t);
      for (const [method, path] of [
        ['post', '/api/fundraising/backup'],
        ['get', '/api/fundraising/backups'],
        ['post', '/api/fundraising/backups/bkp00000000000000/verify'],
        ['get', '/api/fundraising/backups/bkp00000000000000/download'],
        ['get', '/api/fundraising/backup-policy'],
        ['patch', '/api/fundraising/backup-policy'],
      ] as const) {
        expect([path, (await member.http()[method](path).send({})).status]).toEqual([path, 403]);
        expect([path, (await t.anon()[method](path).send({})).status]).toEqual([path, 401]);
      }
      expect(existsSync(t.config.backupDir) ? readdirSync(t.config.backupDir) : []).toEqual([]);
    },
    SLOW_MS,
  );

  it(
    'takes an online copy with a manifest that describes it, and records BackupCreated',
    async () => {
      await addInvestors(t, 25);
      const liveHashBefore = hashReadModels(t.core.db);
      const res = await t.http().post('/api/fundraising/backup').expect(201);
      const b = res.body;
      expect(b).toMatchObject({
        id: expect.stringMatching(/^bkp[0-9A-Za-z]{14}$/),
        trigger: 'manual',
        created_by: t.adminId,
        verification: 'unverified',
        last_verification: null,
        deleted_at: null,
      });
      const m = b.manifest;
      expect(Object.keys(m).sort()).toEqual(
        [
          'app_version',
          'created_at',
          'event_count',
          'file_name',
          'format',
          'head_hash',
          'id',
          'last_position',
          'read_model_hash',
          'read_model_tables',
          'schema_migration',
          'schema_version',
          'sha256',
          'size',
        ].sort(),
      );
      expect(t.config.backupDir).toBe(join(t.dataDir, 'backups'));
      const file = join(t.config.backupDir, m.file_name);
      const bytes = readFileSync(file);
      expect([bytes.length, createHash('sha256').update(bytes).digest('hex')]).toEqual([
        m.size,
        m.sha256,
      ]);
      expect(JSON.parse(readFileSync(file.replace(/\.sqlite$/, '.manifest.json'), 'utf8'))).toEqual(
        m,
      );
      // One self-contained file in rollback-journal mode; nothing half-written left behind.
      expect(bytes[18]).toBe(1);
      expect(readdirSync(t.config.backupDir).sort()).toEqual(
        [m.file_name, m.file_name.replace(/\.sqlite$/, '.manifest.json')].sort(),
      );

      // The manifest is the copy's: the log up to the backup, and the read models as they were.
      const created = t.core.store.readAll(t.core.store.lastPosition() - 1)[0];
      expect(created).toMatchObject({
        type: 'BackupCreated',
        stream_id: `backup-${b.id}`,
        data: { manifest: m, trigger: 'manual' },
      });
      expect(m.last_position).toBe(created.position - 1);
      expect(m.event_count).toBe(m.last_position);
      expect(m.head_hash).toBe(t.core.store.readAll(m.last_position - 1, 1)[0].hash);
      expect(m.read_model_hash).toBe(liveHashBefore);
      expect(m.read_model_tables).toEqual(
        expect.arrayContaining(['fundraising_records', 'fundraising_state', 'users', 'invites']),
      );
      expect(m.read_model_tables).not.toEqual(expect.arrayContaining(['backups']));
      const copy = new Database(file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: m.event_count });
      copy.close();

      const feed = await t.http().get('/api/activity?types=BackupCreated').expect(200);
      expect(feed.body.entries.map((e: { type: string }) => e.type)).toEqual(['BackupCreated']);
    },
    SLOW_MS,
  );

  it(
    'verifies a backup with every check and records BackupVerified',
    async () => {
      const [b] = (await t.http().get('/api/fundraising/backups').expect(200)).body.backups;
      await addInvestors(t, 3, 'Later');
      const res = await t.http().post(`/api/fundraising/backups/${b.id}/verify`).expect(200);
      expect(res.body.ok).toBe(true);
      expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual(CHECKS);
      for (const c of res.body.checks)
        expect(c).toEqual({ name: c.name, ok: true, detail: expect.any(String) });
      const last = t.core.store.readAll(t.core.store.lastPosition() - 1)[0];
      expect(last).toMatchObject({
        type: 'BackupVerified',
        data: { backup_id: b.id, ok: true, kind: 'verify' },
      });

      const list = (await t.http().get('/api/fundraising/backups').expect(200)).body;
      expect(list.backups[0]).toMatchObject({
        id: b.id,
        verification: 'ok',
        last_verification: { ok: true, kind: 'verify', at: last.recorded_at },
      });
      expect(list.freshness).toMatchObject({
        status: 'pass',
        last_verified_backup_id: b.id,
        age_hours: expect.any(Number),
      });
      expect(list.next_scheduled_at).toMatch(/T02:00:00.000Z$/);
      expect(list.scheduler_running).toBe(true);
    },
    SLOW_MS,
  );

  it(
    'announces no next nightly backup from a process that does not run the nightly job',
    async () => {
      const off = await startTestApp({ CRM_BACKUP_SCHEDULER: 'off' });
      try {
        const list = (await off.http().get('/api/fundraising/backups').expect(200)).body;
        expect({ running: list.scheduler_running, next: list.next_scheduled_at }).toEqual({
          running: false,
          next: null,
        });
      } finally {
        await off.close();
      }
    },
    SLOW_MS,
  );

  it(
    'reports the last verified backup in readiness and the security status',
    async () => {
      const ready = await t.anon().get('/api/ready').expect(200);
      expect(ready.body.checks.find((c: { name: string }) => c.name === 'backups')).toMatchObject({
        ok: true,
        warning: false,
        detail: { status: 'pass', age_hours: expect.any(Number) },
      });
      const status = await t.http().get('/api/security/status').expect(200);
      expect(status.body.checks.find((c: { id: string }) => c.id === 'backups')).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(/hours old/),
      });
    },
    SLOW_MS,
  );

  it(
    'downloads the copy and its manifest',
    async () => {
      const [b] = (await t.http().get('/api/fundraising/backups').expect(200)).body.backups;
      const db = await t
        .http()
        .get(`/api/fundraising/backups/${b.id}/download`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(db.headers['content-disposition']).toBe(`attachment; filename="${b.file_name}"`);
      expect(
        createHash('sha256')
          .update(db.body as Buffer)
          .digest('hex'),
      ).toBe(b.manifest.sha256);
      const manifest = await t
        .http()
        .get(`/api/fundraising/backups/${b.id}/download?file=manifest`)
        .expect(200);
      expect(JSON.parse(manifest.text)).toEqual(b.manifest);
      await t.http().get('/api/fundraising/backups/bkp00000000000000/download').expect(404);
      await t.http().get('/api/fundraising/backups/..%2Fcrm.sqlite/download').expect(400);
    },
    SLOW_MS,
  );

  it(
    'keeps a policy that is validated and stored as events',
    async () => {
      expect((await t.http().get('/api/fundraising/backup-policy').expect(200)).body).toEqual(
        DEFAULT_BACKUP_POLICY,
      );
      const changed = await t
        .http()
        .patch('/api/fundraising/backup-policy')
        .send({ time_of_day: '23:15', time_zone: 'Europe/Paris', keep_daily: 10 })
        .expect(200);
      expect(changed.body).toEqual({
        ...DEFAULT_BACKUP_POLICY,
        time_of_day: '23:15',
        time_zone: 'Europe/Paris',
        keep_daily: 10,
      });
      const last = t.core.store.readAll(t.core.store.lastPosition() - 1)[0];
      expect(last).toMatchObject({
        type: 'BackupPolicyChanged',
        stream_id: 'backup-policy',
        data: { from: DEFAULT_BACKUP_POLICY, to: changed.body },
      });
      const head = t.core.store.lastPosition();
      const bad = await t
        .http()
        .patch('/api/fundraising/backup-policy')
        .send({ time_of_day: '25:00', time_zone: 'Nowhere/City', keep_weekly: -2 })
        .expect(400);
      expect(bad.body.details.fields).toEqual(['time_of_day', 'time_zone', 'keep_weekly']);
      await t.http().patch('/api/fundraising/backup-policy').send({ keep_daily: '3' }).expect(400);
      await t
        .http()
        .patch('/api/fundraising/backup-policy')
        .send({ keep_forever: true })
        .expect(400);
      await t.http().patch('/api/fundraising/backup-policy').send({ keep_daily: 10 }).expect(200);
      expect(t.core.store.lastPosition()).toBe(head);
      await t
        .http()
        .patch('/api/fundraising/backup-policy')
        .send(DEFAULT_BACKUP_POLICY)
        .expect(200);
    },
    SLOW_MS,
  );

  it(
    "previews and applies a restore to a backup's position (restore-preview by backup_id)",
    async () => {
      const [b] = (await t.http().get('/api/fundraising/backups').expect(200)).body.backups;
      await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ backup_id: b.id, position: 3 })
        .expect(400);
      await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ backup_id: 'bkp00000000000000' })
        .expect(404);
      const member = await createMember(t);
      await member
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ backup_id: b.id })
        .expect(403);
      const preview = await t
        .http()
        .post('/api/fundraising/restore-preview')
        .send({ backup_id: b.id })
        .expect(200);
      expect(preview.body).toMatchObject({
        target: { position: b.manifest.last_position },
        backup: { id: b.id, created_at: b.manifest.created_at },
        counts: { to_archive: 3 },
      });
      expect(preview.body.backup.checks.map((c: { name: string }) => c.name)).toEqual([
        'manifest',
        'checksum',
        'integrity',
        'schema',
        'log',
        'prefix',
      ]);
      const head = t.core.store.lastPosition();
      const restored = await t
        .http()
        .post('/api/fundraising/restore')
        .send({ token: preview.body.token })
        .expect(200);
      expect(t.core.store.readAll(head).every((e) => e.metadata.source === 'restore')).toBe(true);
      await t
        .http()
        .post('/api/fundraising/undo')
        .send({ correlation_id: restored.body.correlation_id })
        .expect(200);
    },
    SLOW_MS,
  );

  it(
    'restores through the drill: boots the app on a copy and matches the manifest',
    async () => {
      const lines: string[] = [];
      const report = await runBackupDrill({
        backupDir: t.config.backupDir,
        log: (l) => lines.push(l),
      });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.checks.map((c) => c.name)).toEqual([
        'manifest',
        'checksum',
        'integrity',
        'schema',
        'log',
        'replay',
        'boot',
        'readiness',
        'event_count',
        'last_position',
        'head_hash',
        'read_model_hash',
      ]);
      expect(report.ok).toBe(true);
    },
    SLOW_MS,
  );

  it(
    'restores a lost database from a backup file (disaster recovery), moving the old files aside',
    async () => {
      const [b] = (await t.http().get('/api/fundraising/backups').expect(200)).body.backups;
      const dir = mkdtempSync(join(tmpdir(), 'crm-dr-'));
      try {
        const databaseFile = join(dir, 'crm.sqlite');
        const damaged = Buffer.from('this was a database before the disk failed');
        writeFileSync(databaseFile, damaged);
        const result = await restoreFromBackup({
          from: join(t.config.backupDir, b.file_name),
          databaseFile,
          log: () => undefined,
        });
        expect(result.restored).toBe(true);
        expect(readFileSync(join(result.moved_aside_to!, 'crm.sqlite'))).toEqual(damaged);
        const core = await openCore({ databaseFile, seed: false });
        expect([
          core.store.lastPosition(),
          core.store.headHash(),
          hashReadModels(core.db, b.manifest.read_model_tables),
        ]).toEqual([b.manifest.last_position, b.manifest.head_hash, b.manifest.read_model_hash]);
        await core.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW_MS,
  );
});

describe('the nightly job', () => {
  const day = 86_400_000;

  /** The app's clock, moved by hand: every event, copy and check of the job happens "on" that night. */
  function fakeClock(t: TestApp) {
    // The scheduler's own ticks stay out of the way; the test asks the job itself.
    t.app.get(JobScheduler).pause();
    let now = Date.now();
    const spy = jest
      .spyOn(t.core.clock, 'now')
      .mockImplementation(() => new Date(now).toISOString());
    return { advance: (ms: number) => (now += ms), restore: () => spy.mockRestore() };
  }

  it(
    'backs up once a night, verifies and prunes by the rules',
    async () => {
      const t = await startTestApp({ CRM_BACKUP_SCHEDULER: 'on' });
      const clock = fakeClock(t);
      try {
        await t
          .http()
          .patch('/api/fundraising/backup-policy')
          .send({ keep_daily: 2, keep_weekly: 0, keep_monthly: 0 })
          .expect(200);
        const scheduler = t.app.get(BackupScheduler);
        expect(await scheduler.tick()).toBeNull();
        const runs = [];
        for (let night = 1; night <= 4; night++) {
          await addInvestors(t, 2, `Night ${night}`);
          clock.advance(day);
          const run = await scheduler.tick();
          expect(run).toMatchObject({ backup_id: expect.any(String), verified: true, drill: null });
          runs.push(run!);
          clock.advance(60_000);
          expect(await scheduler.tick()).toBeNull();
        }
        const { backups } = (await t.http().get('/api/fundraising/backups').expect(200)).body;
        expect(backups.map((b: { id: string }) => b.id)).toEqual([
          runs[3].backup_id,
          runs[2].backup_id,
        ]);
        expect(backups.map((b: { trigger: string }) => b.trigger)).toEqual([
          'scheduled',
          'scheduled',
        ]);
        expect(runs.map((r) => r.pruned.length)).toEqual([0, 0, 1, 1]);
        expect(
          readdirSync(t.config.backupDir)
            .filter((f) => f.endsWith('.sqlite'))
            .sort(),
        ).toEqual(backups.map((b: { file_name: string }) => b.file_name).sort());
        const deleted = t.core.store.readAll(0).filter((e) => e.type === 'BackupDeleted');
        expect(deleted.map((e) => e.data)).toEqual(
          [runs[0], runs[1]].map((r) =>
            expect.objectContaining({ backup_id: r.backup_id, reason: 'retention' }),
          ),
        );
      } finally {
        clock.restore();
        await t.close();
      }
    },
    SLOW_MS,
  );

  it(
    'never deletes the newest verified backup, and drops failed ones',
    async () => {
      const t = await startTestApp({ CRM_BACKUP_SCHEDULER: 'on' });
      const clock = fakeClock(t);
      try {
        await t
          .http()
          .patch('/api/fundraising/backup-policy')
          .send({ keep_daily: 1, keep_weekly: 0, keep_monthly: 0, verify_after_backup: false })
          .expect(200);
        const good = (await t.http().post('/api/fundraising/backup').expect(201)).body;
        expect(
          (await t.http().post(`/api/fundraising/backups/${good.id}/verify`).expect(200)).body.ok,
        ).toBe(true);
        clock.advance(3_600_000);
        const bad = (await t.http().post('/api/fundraising/backup').expect(201)).body;
        appendFileSync(join(t.config.backupDir, bad.file_name), 'x');
        expect(
          (await t.http().post(`/api/fundraising/backups/${bad.id}/verify`).expect(200)).body.ok,
        ).toBe(false);

        const scheduler = t.app.get(BackupScheduler);
        clock.advance(day);
        const first = await scheduler.tick();
        expect(first).toMatchObject({ verified: null, pruned: [bad.file_name] });
        clock.advance(day);
        const second = await scheduler.tick();
        expect(second).toMatchObject({
          verified: null,
          pruned: [
            (await t.http().get(`/api/fundraising/backups/${first!.backup_id}`).expect(200)).body
              .file_name,
          ],
        });
        // The rules keep only the newest day; the newest verified backup stays beside it regardless.
        const ids = (await t.http().get('/api/fundraising/backups').expect(200)).body.backups.map(
          (b: { id: string }) => b.id,
        );
        expect(ids).toEqual([second!.backup_id, good.id]);
        expect(existsSync(join(t.config.backupDir, good.file_name))).toBe(true);
      } finally {
        clock.restore();
        await t.close();
      }
    },
    SLOW_MS,
  );

  it(
    'catches up a night the server was off at the next start',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'crm-missed-'));
      try {
        const threeDaysAgo: Clock = { now: () => new Date(Date.now() - 3 * day).toISOString() };
        const old = await openCore({ databaseFile: join(dir, 'crm.sqlite'), clock: threeDaysAgo });
        await old.close();
        const t = await startTestApp({ CRM_DATA_DIR: dir });
        try {
          let backups: { trigger: string; verification: string }[] = [];
          for (let i = 0; i < 100 && !(backups[0]?.verification === 'ok'); i++) {
            await new Promise((r) => setTimeout(r, 100));
            backups = (await t.http().get('/api/fundraising/backups').expect(200)).body.backups;
          }
          expect(backups).toEqual([
            expect.objectContaining({ trigger: 'scheduled', verification: 'ok' }),
          ]);
        } finally {
          await t.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW_MS,
  );

  it(
    'does not fire at the first start of a new install',
    async () => {
      const t = await startTestApp();
      try {
        await new Promise((r) => setTimeout(r, 300));
        expect((await t.http().get('/api/fundraising/backups').expect(200)).body.backups).toEqual(
          [],
        );
        const ready = await t.anon().get('/api/ready').expect(200);
        expect(ready.body.checks.find((c: { name: string }) => c.name === 'backups')).toMatchObject(
          { ok: true, warning: true, detail: { status: 'warn', last_verified_backup_at: null } },
        );
      } finally {
        await t.close();
      }
    },
    SLOW_MS,
  );
});
