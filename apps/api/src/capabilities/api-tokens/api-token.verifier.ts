import { type ApiTokenScope } from '@crm/events';
import type { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type ApiTokenCredential, type ApiTokensRepository } from './api-tokens.repository';
import { apiTokenHmac, isApiTokenFormat } from './api-token-secret';

/** Why a token was refused, for the 401's `reason`. */
export type ApiTokenRefusal =
  'token_malformed' | 'token_unknown' | 'token_expired' | 'token_revoked' | 'token_owner_disabled';

export type ApiTokenCheck =
  | {
      ok: true;
      token: { id: string; name: string; scope: ApiTokenScope; expires_at_ms: number };
      owner: { id: string; name: string; role: 'admin' | 'member'; token_version: number };
    }
  | { ok: false; reason: ApiTokenRefusal };

/** How many token texts are remembered with their ids (the oldest go first). */
const KNOWN_SIZE = 1000;
/** Last use is written down at most once a minute per token (a write per request would cost one). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Checks an API token. The hash is computed once per token text (remembered like the JWT path's
 * verified tokens); the token's row and its owner are read on every request in one statement, so a
 * revocation, an expiry or a disabled owner takes effect at once, also from another process.
 */
export class ApiTokenVerifier {
  private readonly known = new Map<string, string>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly repo: ApiTokensRepository,
    private readonly uow: UnitOfWork,
    private readonly hashKey: Buffer,
  ) {}

  check(token: string, nowMs: number): ApiTokenCheck {
    const id = this.idOf(token);
    if (id === null) return { ok: false, reason: 'token_malformed' };
    const row = id === undefined ? undefined : this.repo.credential(id);
    if (!row) return { ok: false, reason: 'token_unknown' };
    const refusal = refusalOf(row, nowMs);
    if (refusal) return { ok: false, reason: refusal };
    this.touch(row.id, nowMs);
    return {
      ok: true,
      token: {
        id: row.id,
        name: row.name,
        scope: row.scope,
        expires_at_ms: row.expires_at === null ? Infinity : Date.parse(row.expires_at),
      },
      owner: {
        id: row.user_id,
        name: row.user_name,
        role: row.role,
        token_version: row.token_version,
      },
    };
  }

  /** The token id behind a token text; null when it is not a token's shape at all. */
  private idOf(token: string): string | null | undefined {
    const known = this.known.get(token);
    if (known !== undefined) return known;
    if (!isApiTokenFormat(token)) return null;
    const id = this.repo.idByHmac(apiTokenHmac(this.hashKey, token));
    if (id === undefined) return undefined;
    if (this.known.size >= KNOWN_SIZE) this.known.delete(this.known.keys().next().value as string);
    this.known.set(token, id);
    return id;
  }

  private touch(id: string, nowMs: number): void {
    if (nowMs - (this.touched.get(id) ?? -Infinity) < TOUCH_EVERY_MS) return;
    this.touched.set(id, nowMs);
    const at = new Date(nowMs).toISOString();
    // Without an fsync of its own: a last-use time lost in a crash is harmless.
    void this.uow.writeDerived(() => this.repo.touch(id, at)).catch(() => this.touched.delete(id));
  }
}

function refusalOf(row: ApiTokenCredential, nowMs: number): ApiTokenRefusal | null {
  if (row.revoked_at !== null) return 'token_revoked';
  if (row.expires_at !== null && Date.parse(row.expires_at) <= nowMs) return 'token_expired';
  if (row.disabled === 1) return 'token_owner_disabled';
  return null;
}
