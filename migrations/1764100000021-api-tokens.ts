import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * API tokens. `api_tokens` is the read model of the `api-token-<id>` streams (rebuilt from the log).
 * `api_token_secrets` is a secret store, not a read model: the keyed hash of each token (never the
 * token) and when it was last used, written beside the token's events; a rebuild leaves it alone.
 */
export class ApiTokens1764100000021 implements MigrationInterface {
  name = 'ApiTokens1764100000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE api_tokens (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      name TEXT NOT NULL,
      scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
      created_at TEXT NOT NULL,
      expires_at TEXT,
      revoked_at TEXT,
      revoked_by TEXT,
      version INTEGER NOT NULL
    )`);
    await q.query(`CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at)`);
    await q.query(`CREATE TABLE api_token_secrets (
      token_id TEXT PRIMARY KEY,
      token_hmac TEXT NOT NULL UNIQUE,
      last_used_at TEXT
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_token_secrets`);
    await q.query(`DROP TABLE api_tokens`);
  }
}
