import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type BackupCheck, type BackupManifest } from '@crm/events';
import { loadConfig } from '../../config/app-config';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { backupPath, manifestPathOf, readManifest } from './backup-files';
import { verifyBackupFile } from './backup-verifier';
import { hashReadModelsInSteps } from './read-model-hash';

export interface DrillOptions {
  backupDir: string;
  /** A backup id; the newest backup in the directory by default. */
  backupId?: string;
  log: (line: string) => void;
}

export interface DrillReport {
  ok: boolean;
  backup_id: string | null;
  manifest: BackupManifest | null;
  checks: BackupCheck[];
}

/** The manifests in a backup directory, newest first. */
export async function manifestsIn(dir: string): Promise<BackupManifest[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const manifests: BackupManifest[] = [];
  for (const n of names.filter((x) => x.endsWith('.manifest.json'))) {
    try {
      manifests.push(await readManifest(join(dir, n)));
    } catch {
      // a damaged manifest is the verification's business, not the listing's
    }
  }
  return manifests.sort((a, b) =>
    a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0,
  );
}

/**
 * The restore drill: verify a backup, restore it into a scratch directory, boot the whole app on it
 * (with the nightly job off), and check readiness, event count, last position, head hash and the
 * read-model hash against the manifest. Nothing outside the scratch directory is written.
 */
export async function runBackupDrill(o: DrillOptions): Promise<DrillReport> {
  const checks: BackupCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    o.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  };
  const all = await manifestsIn(o.backupDir);
  const manifest = o.backupId ? all.find((m) => m.id === o.backupId) : all[0];
  if (!manifest) {
    add(
      'backup',
      false,
      o.backupId ? `no backup ${o.backupId} in ${o.backupDir}` : `no backup in ${o.backupDir}`,
    );
    return { ok: false, backup_id: o.backupId ?? null, manifest: null, checks };
  }
  const file = backupPath(o.backupDir, manifest.file_name);
  o.log(`drill on backup ${manifest.id} of ${manifest.created_at} (${file})`);

  const verification = await verifyBackupFile(file, manifestPathOf(file), { replay: true });
  for (const c of verification.checks) add(c.name, c.ok, c.detail);
  if (!verification.ok) return { ok: false, backup_id: manifest.id, manifest, checks };

  const dir = await mkdtemp(join(tmpdir(), 'crm-drill-'));
  try {
    await copyFile(file, join(dir, 'crm.sqlite'));
    // Loaded lazily: the drill is the only backup code that needs the whole HTTP app.
    const { createApp } = await import('../../app.factory');
    const config = loadConfig({
      CRM_ENV: 'development',
      CRM_DATA_DIR: dir,
      CRM_PORT: '0',
      CRM_HOST: '127.0.0.1',
      CRM_BACKUP_SCHEDULER: 'off',
      CRM_WEB_DIST: join(dir, 'no-web'),
    });
    const app = await createApp(config, { logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      add('boot', true, 'the app started on the restored copy');
      await checkBootedCopy(app, manifest, add);
    } finally {
      await app.close();
    }
  } catch (e) {
    add('boot', false, `the app did not start on the restored copy: ${(e as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { ok: checks.every((c) => c.ok), backup_id: manifest.id, manifest, checks };
}

type AddCheck = (name: string, ok: boolean, detail: string) => void;

/** The app booted on the restored copy: ready, and holding the log and read models the manifest describes. */
async function checkBootedCopy(
  app: NestExpressApplication,
  manifest: BackupManifest,
  add: AddCheck,
): Promise<void> {
  const { port } = app.getHttpServer().address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}/api/ready`);
  const body = (await res.json()) as {
    status: string;
    checks: { name: string; ok: boolean }[];
  };
  add(
    'readiness',
    res.status === 200 && body.status === 'ready',
    `GET /api/ready answered ${res.status} ${body.status}${
      body.checks?.some((c) => !c.ok)
        ? ` (${body.checks
            .filter((c) => !c.ok)
            .map((c) => c.name)
            .join(', ')} not ok)`
        : ''
    }`,
  );
  const db = app.get<Sqlite>(SQLITE);
  const { n, last } = db
    .prepare('SELECT COUNT(*) AS n, COALESCE(MAX(position), 0) AS last FROM events')
    .get() as { n: number; last: number };
  add(
    'event_count',
    n === manifest.event_count,
    `${n} events; the manifest says ${manifest.event_count}`,
  );
  add(
    'last_position',
    last === manifest.last_position,
    `last position ${last}; the manifest says ${manifest.last_position}`,
  );
  const head = app.get(SqliteEventStore).headHash();
  add(
    'head_hash',
    head === manifest.head_hash,
    head === manifest.head_hash
      ? 'the chain head matches'
      : `head ${head.slice(0, 12)}… differs from the manifest's ${manifest.head_hash.slice(0, 12)}…`,
  );
  const hash = await hashReadModelsInSteps(db, manifest.read_model_tables);
  add(
    'read_model_hash',
    hash === manifest.read_model_hash,
    hash === manifest.read_model_hash
      ? "the booted app's read models match the manifest"
      : `read-model hash ${hash.slice(0, 12)}… differs from the manifest's ${manifest.read_model_hash.slice(0, 12)}…`,
  );
}
