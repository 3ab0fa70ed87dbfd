import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource, type MigrationInterface } from 'typeorm';
import { type BackupCheck, type BackupManifest } from '@crm/events';
import { MIGRATIONS } from '@crm/migrations';
import { StartupError } from '../startup-error';

export const SQLITE = Symbol('SQLITE');
export type Sqlite = Database.Database;

export type MigrationList = readonly (new () => MigrationInterface)[];

/** A verified copy of the database as it was before an upgrade's migrations ran. */
export interface PreUpgradeBackup {
  file: string;
  manifest: BackupManifest;
  checks: BackupCheck[];
}

export interface OpenOptions {
  busyTimeoutMs?: number;
  /** The migrations to apply (all of them; a test may add its own). */
  migrations?: MigrationList;
  /**
   * Called when an existing database has migrations pending, before any runs: the server takes and
   * verifies its pre-upgrade backup here. Throwing stops the start with nothing migrated.
   */
  beforeUpgrade?: (db: Sqlite, pending: string[]) => Promise<PreUpgradeBackup>;
}

/** What opening did to the schema: the migrations applied now, and the backup taken before them. */
export interface DatabaseUpgrade {
  applied: string[];
  backup: PreUpgradeBackup | null;
}

export interface OpenedDatabase {
  dataSource: DataSource;
  db: Sqlite;
  upgrade: DatabaseUpgrade;
}

/**
 * Opens the SQLite file through TypeORM (which owns the migrations) and hands back the raw
 * better-sqlite3 handle the repositories use for synchronous, single-transaction commands.
 * WAL with synchronous=FULL: an acknowledged write survives a process crash and a power loss.
 */
export async function openDatabase(
  file: string,
  options: OpenOptions = {},
): Promise<OpenedDatabase> {
  const { busyTimeoutMs = 5000, migrations = MIGRATIONS } = options;
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: file,
    timeout: busyTimeoutMs,
    synchronize: false,
    migrationsRun: false,
    migrations: [...migrations],
    migrationsTableName: 'schema_migrations',
    prepareDatabase: (db: Sqlite) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
      db.pragma('foreign_keys = ON');
      // Keep the WAL from growing without bound under constant writes.
      db.pragma('wal_autocheckpoint = 1000');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
    },
  } as ConstructorParameters<typeof DataSource>[0]);
  await dataSource.initialize();
  const db = (dataSource.driver as unknown as { databaseConnection: Sqlite }).databaseConnection;
  try {
    const upgrade = await migrate(dataSource, db, migrations, options.beforeUpgrade);
    return { dataSource, db, upgrade };
  } catch (e) {
    await dataSource.destroy();
    throw e;
  }
}

/**
 * Applies the pending migrations in one transaction: all of them or, when one fails, none, so a
 * failed upgrade leaves the database exactly as the previous version left it. An existing database
 * (one with migrations applied) is backed up and the copy verified before anything runs.
 */
async function migrate(
  dataSource: DataSource,
  db: Sqlite,
  migrations: MigrationList,
  beforeUpgrade: OpenOptions['beforeUpgrade'],
): Promise<DatabaseUpgrade> {
  const applied = appliedMigrations(db);
  const pending = migrationNames(migrations).filter((name) => !applied.has(name));
  if (!pending.length) return { applied: [], backup: null };
  const backup = applied.size && beforeUpgrade ? await beforeUpgrade(db, pending) : null;
  try {
    await dataSource.runMigrations({ transaction: 'all' });
  } catch (e) {
    throw new StartupError(
      'upgrade_failed',
      [
        `the upgrade failed: ${(e as Error).message}.`,
        `No migration was applied; the database is as the previous version left it.`,
        backup
          ? `The backup taken before the upgrade is ${backup.file}`
          : applied.size
            ? 'No backup was taken before it.'
            : 'No backup was needed (the database was new).',
      ].join(' '),
      { cause: e },
    );
  }
  return { applied: pending, backup };
}

/** Each migration class is named as TypeORM records it (`EventStore1764100000000`). */
function migrationNames(migrations: MigrationList): string[] {
  return migrations.map((m) => m.name);
}

/** The migrations already applied; none in a new database (no migration table yet). */
function appliedMigrations(db: Sqlite): Set<string> {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!table) return new Set();
  return new Set(
    (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map(
      (r) => r.name,
    ),
  );
}

export function pendingMigrations(db: Sqlite): number {
  const applied = appliedMigrations(db);
  return migrationNames(MIGRATIONS).filter((name) => !applied.has(name)).length;
}

/** Throws when the connection cannot answer a query (the file is gone, the disk is failing). */
export function ping(db: Sqlite): void {
  db.prepare('SELECT 1').get();
}

/** What the product promises about durability, read back from the live connection. */
export function durabilitySettings(db: Sqlite): {
  journal_mode: string;
  synchronous: number;
  foreign_keys: number;
} {
  return {
    journal_mode: db.pragma('journal_mode', { simple: true }) as string,
    synchronous: db.pragma('synchronous', { simple: true }) as number,
    foreign_keys: db.pragma('foreign_keys', { simple: true }) as number,
  };
}

/**
 * A read-only connection of its own on the same file, in a read transaction: it sees one commit
 * while the main connection goes on writing, so a long read can pause between pages and stay one
 * moment. Close it when done.
 */
export function openSnapshotReader(db: Sqlite): Sqlite {
  const reader = new Database(db.name, { readonly: true, fileMustExist: true });
  try {
    reader.pragma(
      `busy_timeout = ${Math.trunc(db.pragma('busy_timeout', { simple: true }) as number)}`,
    );
    reader.exec('BEGIN');
    return reader;
  } catch (e) {
    reader.close();
    throw e;
  }
}
