import type { ApiTokenScope } from '@crm/events';

/** POST /api/me/tokens */
export interface CreateApiTokenRequest {
  /** 1 to 100 characters: what the token is for ("Nightly export"). */
  name: string;
  /** `read`: every write is refused (403); `write`: what its owner may do. */
  scope: ApiTokenScope;
  /** ISO 8601; absent or null: until revoked. */
  expires_at?: string | null;
}

/** A token as lists show it: never the secret. */
export interface ApiTokenView {
  id: string;
  name: string;
  scope: ApiTokenScope;
  created_at: string;
  expires_at: string | null;
  /** To the minute: uses within a minute of the last recorded one are not written down. */
  last_used_at: string | null;
  revoked_at: string | null;
  /** `active`, or why it no longer works. */
  status: 'active' | 'expired' | 'revoked';
  owner: { id: string; name: string; email: string };
}

/** The answer to creating a token: the only time `token` is ever shown. */
export interface CreatedApiToken extends ApiTokenView {
  token: string;
}

/** GET /api/me/tokens, GET /api/admin/tokens */
export interface ApiTokenList {
  tokens: ApiTokenView[];
}
