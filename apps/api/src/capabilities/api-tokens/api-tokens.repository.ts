import { type ApiTokensContext, type ApiTokenState } from '@crm/domain';
import type { ApiTokenView } from '@crm/contracts';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

/** A token with what the Bearer check needs of its owner, read in one statement per request. */
export interface ApiTokenCredential {
  id: string;
  name: string;
  scope: ApiTokenState['scope'];
  expires_at: string | null;
  revoked_at: string | null;
  user_id: string;
  user_name: string;
  role: 'admin' | 'member';
  disabled: number;
  token_version: number;
}

type ListRow = Omit<ApiTokenView, 'status' | 'owner'> & {
  owner_id: string;
  owner_name: string;
  owner_email: string;
};

const LIST = `SELECT t.id, t.name, t.scope, t.created_at, t.expires_at, t.revoked_at, s.last_used_at,
    u.id AS owner_id, u.name AS owner_name, u.email AS owner_email
  FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN api_token_secrets s ON s.token_id = t.id`;

const statusOf = (r: ListRow, now: string): ApiTokenView['status'] =>
  r.revoked_at !== null
    ? 'revoked'
    : r.expires_at !== null && Date.parse(r.expires_at) <= Date.parse(now)
      ? 'expired'
      : 'active';

const toView = (r: ListRow, now: string): ApiTokenView => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  created_at: r.created_at,
  expires_at: r.expires_at,
  last_used_at: r.last_used_at,
  revoked_at: r.revoked_at,
  status: statusOf(r, now),
  owner: { id: r.owner_id, name: r.owner_name, email: r.owner_email },
});

/**
 * All SQL over API tokens: the `api_tokens` read model and the `api_token_secrets` store beside it
 * (keyed hashes and last use), which never enters the log.
 */
export class ApiTokensRepository implements ApiTokensContext {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Sqlite) {
    this.s = {
      token: db.prepare('SELECT * FROM api_tokens WHERE id = ?'),
      upsert:
        db.prepare(`INSERT INTO api_tokens (id, user_id, name, scope, created_at, expires_at, revoked_at, revoked_by, version)
        VALUES (@id, @user_id, @name, @scope, @created_at, @expires_at, @revoked_at, @revoked_by, @version)
        ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by, version = excluded.version
        WHERE excluded.version > api_tokens.version`),
      ofUser: db.prepare(`${LIST} WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id`),
      all: db.prepare(`${LIST} ORDER BY t.created_at DESC, t.id`),
      view: db.prepare(`${LIST} WHERE t.id = ?`),
      saveSecret: db.prepare('INSERT INTO api_token_secrets (token_id, token_hmac) VALUES (?, ?)'),
      idByHmac: db.prepare('SELECT token_id FROM api_token_secrets WHERE token_hmac = ?'),
      credential: db.prepare(`SELECT t.id, t.name, t.scope, t.expires_at, t.revoked_at,
          u.id AS user_id, u.name AS user_name, u.role, u.disabled, u.token_version
        FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`),
      touch: db.prepare('UPDATE api_token_secrets SET last_used_at = ? WHERE token_id = ?'),
    };
  }

  token(id: string): ApiTokenState | undefined {
    return this.s.token.get(id) as ApiTokenState | undefined;
  }

  /** Written by the projector only. */
  save(t: ApiTokenState): void {
    this.s.upsert.run(t);
  }

  tokensOf(userId: string, now: string): ApiTokenView[] {
    return (this.s.ofUser.all(userId) as ListRow[]).map((r) => toView(r, now));
  }

  allTokens(now: string): ApiTokenView[] {
    return (this.s.all.all() as ListRow[]).map((r) => toView(r, now));
  }

  view(id: string, now: string): ApiTokenView | undefined {
    const r = this.s.view.get(id) as ListRow | undefined;
    return r && toView(r, now);
  }

  saveSecret(tokenId: string, hmac: string): void {
    this.s.saveSecret.run(tokenId, hmac);
  }

  idByHmac(hmac: string): string | undefined {
    return (this.s.idByHmac.get(hmac) as { token_id: string } | undefined)?.token_id;
  }

  credential(id: string): ApiTokenCredential | undefined {
    return this.s.credential.get(id) as ApiTokenCredential | undefined;
  }

  touch(id: string, at: string): void {
    this.s.touch.run(at, id);
  }
}
