import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Accounts. `users` and `invites` are read models of the user and invite streams (rebuilt from the
 * log). `credentials`, `invite_tokens` and `setup_tokens` are secret stores, not read models: they
 * hold what must never enter the log (argon2id password hashes, SHA-256 of invite and setup tokens),
 * are written in the same transaction as the events they belong to, and a rebuild leaves them alone.
 */
export class Accounts1764100000002 implements MigrationInterface {
  name = 'Accounts1764100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
      disabled INTEGER NOT NULL DEFAULT 0,
      token_version INTEGER NOT NULL DEFAULT 0,
      version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    await q.query(`CREATE TABLE invites (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
      state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'revoked')),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      accepted_by TEXT,
      closed_at TEXT,
      version INTEGER NOT NULL
    )`);
    await q.query(`CREATE INDEX invites_email ON invites (email, state)`);
    await q.query(`CREATE TABLE credentials (
      user_id TEXT PRIMARY KEY,
      password_hash TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    await q.query(`CREATE TABLE invite_tokens (
      invite_id TEXT PRIMARY KEY,
      token_sha256 TEXT NOT NULL UNIQUE
    )`);
    await q.query(`CREATE TABLE setup_tokens (
      token_sha256 TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      used_at TEXT
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['setup_tokens', 'invite_tokens', 'credentials', 'invites', 'users'])
      await q.query(`DROP TABLE ${t}`);
  }
}
