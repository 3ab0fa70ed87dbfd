import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@crm/migrations';

export const SQLITE = Symbol('SQLITE');
export type Sqlite = Database.Database;

export interface OpenedDatabase {
  dataSource: DataSource;
  db: Sqlite;
}

/**
 * Opens the SQLite file through TypeORM (which owns the migrations) and hands back the raw
 * better-sqlite3 handle the repositories use for synchronous, single-transaction commands.
 * WAL with synchronous=FULL: an acknowledged write survives a process crash and a power loss.
 */
export async function openDatabase(file: string, busyTimeoutMs = 5000): Promise<OpenedDatabase> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: file,
    timeout: busyTimeoutMs,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
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
  await dataSource.runMigrations({ transaction: 'each' });
  const db = (dataSource.driver as unknown as { databaseConnection: Sqlite }).databaseConnection;
  return { dataSource, db };
}

export function pendingMigrations(db: Sqlite): number {
  const applied = new Set(
    (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map(
      (r) => r.name,
    ),
  );
  return MIGRATIONS.filter((m) => !applied.has(m.name)).length;
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
