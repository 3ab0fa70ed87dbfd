/**
 * API tokens: long-lived Bearer credentials a person makes for their own scripts. Like the account
 * events, these show in the activity feed and travel with every backup, so none of them holds the
 * token or a hash of it: the keyed hash lives in the `api_token_secrets` table only.
 */

/** `read` tokens may only read; `write` tokens may do what their owner may do. */
export type ApiTokenScope = 'read' | 'write';

export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = ['read', 'write'];

export interface ApiTokenCreatedData {
  token_id: string;
  user_id: string;
  name: string;
  scope: ApiTokenScope;
  /** Null: it works until revoked. */
  expires_at: string | null;
}
export interface ApiTokenRevokedData {
  token_id: string;
  user_id: string;
}

export interface ApiTokenEventMap {
  ApiTokenCreated: ApiTokenCreatedData;
  ApiTokenRevoked: ApiTokenRevokedData;
}

export type ApiTokenEventType = keyof ApiTokenEventMap;

export type ApiTokenEvent = {
  [K in ApiTokenEventType]: { type: K; data: ApiTokenEventMap[K] };
}[ApiTokenEventType];

export const API_TOKEN_EVENT_TYPES: readonly ApiTokenEventType[] = [
  'ApiTokenCreated',
  'ApiTokenRevoked',
];

export const apiTokenStream = (id: string) => `api-token-${id}`;
