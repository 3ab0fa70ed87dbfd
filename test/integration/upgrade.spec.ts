import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { MIGRATIONS } from '@crm/migrations';
import { createApp } from '../../apps/api/src/app.factory';
import { openStore } from '../../apps/api/src/application';
import { takePreUpgradeBackup } from '../../apps/api/src/capabilities/backups';
import { manifestPathOf } from '../../apps/api/src/capabilities/backups/backup-files';
import { verifyBackupFile } from '../../apps/api/src/capabilities/backups/backup-verifier';
import { loadConfig } from '../../apps/api/src/config/app-config';
import {
  openDatabase,
  type PreUpgradeBackup,
  type Sqlite,
} from '../../apps/api/src/infrastructure/database/database';
import { StartupError } from '../../apps/api/src/infrastructure/startup-error';
import { TEST_ADMIN } from '../support/test-app';
import { freePort, SERVER_MAIN } from '../support/server-process';

/** Backups, copies and a boot of the app: more than the default 5 s. */
jest.setTimeout(60_000);

/** A migration of a next version that goes wrong halfway: it alters a table, then fails. */
class BrokenUpgrade1764100000099 implements MigrationInterface {
  name = 'BrokenUpgrade1764100000099';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE fundraising_records ADD COLUMN upgraded INTEGER');
    await q.query('CREATE TABLE upgrade_probe (id INTEGER PRIMARY KEY)');
    throw new Error('column "owner" of fundraising_records cannot be converted');
  }
  async down(): Promise<void> {}
}

/** Everything a failed upgrade must leave as it was: the schema, the migrations, the log. */
function fingerprint(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return JSON.stringify({
      schema: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all(),
      migrations: db.prepare('SELECT name FROM schema_migrations ORDER BY id').all(),
      log: db
        .prepare('SELECT COUNT(*) AS n, MAX(position) AS last, MAX(hash) AS h FROM events')
        .get(),
      records: db.prepare('SELECT COUNT(*) AS n FROM fundraising_records').get(),
    });
  } finally {
    db.close();
  }
}

/** A database the current version made, with its default base in the log. */
async function existingDatabase(file: string): Promise<void> {
  const store = await openStore({ databaseFile: file });
  await store.close();
}

/**
 * A database as the previous version left it: its last migration undone (by the migration's own
 * `down`), as if this version's had never run.
 */
async function asPreviousVersion(file: string): Promise<void> {
  const { dataSource } = await openDatabase(file);
  try {
    await dataSource.undoLastMigration({ transaction: 'all' });
  } finally {
    await dataSource.destroy();
  }
}

describe('upgrading a database at start', () => {
  let dir: string;
  let file: string;
  let backupDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-upgrade-'));
    file = join(dir, 'crm.sqlite');
    backupDir = join(dir, 'backups');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const backUp = (db: Sqlite) => takePreUpgradeBackup(db, backupDir, new Date().toISOString());

  it('given a migration that fails, when the server starts, then nothing is migrated and the error names the verified backup', async () => {
    await existingDatabase(file);
    const before = fingerprint(file);

    let backup: PreUpgradeBackup | undefined;
    const opening = openDatabase(file, {
      migrations: [...MIGRATIONS, BrokenUpgrade1764100000099],
      beforeUpgrade: async (db, pending) => {
        expect(pending).toEqual(['BrokenUpgrade1764100000099']);
        backup = await backUp(db);
        return backup;
      },
    });

    const error = (await opening.catch((e: unknown) => e)) as StartupError;
    expect(error).toBeInstanceOf(StartupError);
    expect(error.reason).toBe('upgrade_failed');
    expect(backup).toBeDefined();
    expect(error.message).toContain(backup!.file);
    expect(error.message).toContain('cannot be converted');
    expect(error.message).toContain('No migration was applied');
    expect(error.stack).toBeDefined();

    expect(fingerprint(file)).toBe(before);
    expect(existsSync(backup!.file)).toBe(true);
    const again = await verifyBackupFile(backup!.file, manifestPathOf(backup!.file), {
      replay: false,
    });
    expect(again.checks.filter((c) => !c.ok)).toEqual([]);
    expect(backup!.checks.map((c) => c.name)).toEqual([
      'manifest',
      'checksum',
      'integrity',
      'schema',
      'log',
      'prefix',
    ]);
  });

  it('given a database the previous version left, when the server starts, then it backs up, migrates and lists the backup as pre-upgrade', async () => {
    await existingDatabase(file);
    await asPreviousVersion(file);

    const config = loadConfig({
      CRM_ENV: 'test',
      CRM_DATA_DIR: dir,
      CRM_WEB_DIST: join(dir, 'no-web'),
      CRM_BACKUP_SCHEDULER: 'off',
      CRM_ADMIN_EMAIL: TEST_ADMIN.email,
      CRM_ADMIN_PASSWORD: TEST_ADMIN.password,
    });
    const app = await createApp(config, { logger: false });
    await app.init();
    try {
      const server = app.getHttpServer();
      const login = await request(server)
        .post('/api/auth/login')
        .send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password })
        .expect(200);
      const auth = `Bearer ${(login.body as { access_token: string }).access_token}`;
      await request(server).get('/api/ready').expect(200);

      const list = await request(server)
        .get('/api/fundraising/backups')
        .set('Authorization', auth)
        .expect(200);
      const backups = (
        list.body as {
          backups: {
            id: string;
            trigger: string;
            file_name: string;
            verification: string;
            manifest: { schema_migration: string };
          }[];
        }
      ).backups;
      expect(backups).toHaveLength(1);
      expect(backups[0]).toMatchObject({ trigger: 'pre_upgrade', verification: 'ok' });
      expect(backups[0].manifest.schema_migration).toBe(MIGRATIONS[MIGRATIONS.length - 2].name);
      expect(existsSync(join(backupDir, backups[0].file_name))).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('given a new database or one already up to date, when the server starts, then no backup is taken', async () => {
    const taken: string[][] = [];
    const record = async (_db: Sqlite, pending: string[]): Promise<PreUpgradeBackup> => {
      taken.push(pending);
      throw new Error('no backup expected');
    };
    const fresh = await openDatabase(file, { beforeUpgrade: record });
    expect(fresh.upgrade.applied).toHaveLength(MIGRATIONS.length);
    await fresh.dataSource.destroy();
    const current = await openDatabase(file, { beforeUpgrade: record });
    expect(current.upgrade).toEqual({ applied: [], backup: null });
    await current.dataSource.destroy();
    expect(taken).toEqual([]);
  });

  it('given a backup directory that cannot be written, when an upgrade is pending, then the start stops before migrating', async () => {
    await existingDatabase(file);
    await asPreviousVersion(file);
    const before = fingerprint(file);
    // A file where the directory should be: nothing can be created under it.
    const blocked = join(dir, 'blocked');
    await existingDatabase(blocked);

    const error = (await openDatabase(file, {
      beforeUpgrade: (db) =>
        takePreUpgradeBackup(db, join(blocked, 'backups'), new Date().toISOString()),
    }).catch((e: unknown) => e)) as StartupError;

    expect(error).toBeInstanceOf(StartupError);
    expect(error.reason).toBe('upgrade_backup_failed');
    expect(error.message).toContain(join(blocked, 'backups'));
    expect(error.message).toContain('nothing was migrated');
    expect(fingerprint(file)).toBe(before);
  });

  it('given the built server and an upgrade it cannot back up, when it starts, then it exits with the reason and no stack trace, nothing migrated', async () => {
    await existingDatabase(file);
    await asPreviousVersion(file);
    const before = fingerprint(file);
    writeFileSync(join(dir, 'not-a-directory'), '');
    const port = await freePort();
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('CRM_')),
    );
    const proc = spawn(process.execPath, [SERVER_MAIN], {
      env: {
        ...clean,
        CRM_DATA_DIR: dir,
        CRM_BACKUP_DIR: join(dir, 'not-a-directory', 'backups'),
        CRM_PORT: String(port),
        CRM_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));

    expect(code).toBe(1);
    expect(output).toContain(
      `cannot start: no backup could be taken in ${join(dir, 'not-a-directory', 'backups')} before upgrading the database, so nothing was migrated`,
    );
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
    expect(fingerprint(file)).toBe(before);
  });
});
