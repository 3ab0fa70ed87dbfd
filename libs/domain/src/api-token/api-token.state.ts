import { type ApiTokenEvent, type ApiTokenScope, type RecordedEvent } from '@crm/events';

export const API_TOKEN_NAME_MAX_LENGTH = 100;

/** One API token as the log leaves it; whether it works now also depends on the clock and its owner. */
export interface ApiTokenState {
  id: string;
  user_id: string;
  name: string;
  scope: ApiTokenScope;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  /** Who revoked it: the owner or an admin. */
  revoked_by: string | null;
  /** Version of the `api-token-<id>` stream. */
  version: number;
}

/** What the API token deciders may read; the API backs it with the read model, specs with a replay. */
export interface ApiTokensContext {
  token(id: string): ApiTokenState | undefined;
}

/** The next state of one token after one of its events. Never throws. */
export function evolveApiToken(
  state: ApiTokenState | undefined,
  recorded: Pick<RecordedEvent, 'type' | 'data' | 'recorded_at' | 'stream_version' | 'metadata'>,
): ApiTokenState | undefined {
  const event = recorded as unknown as ApiTokenEvent;
  switch (event.type) {
    case 'ApiTokenCreated':
      return {
        id: event.data.token_id,
        user_id: event.data.user_id,
        name: event.data.name,
        scope: event.data.scope,
        created_at: recorded.recorded_at,
        expires_at: event.data.expires_at,
        revoked_at: null,
        revoked_by: null,
        version: recorded.stream_version,
      };
    case 'ApiTokenRevoked':
      return (
        state && {
          ...state,
          revoked_at: recorded.recorded_at,
          revoked_by: recorded.metadata.actor_id,
          version: recorded.stream_version,
        }
      );
    default:
      return state;
  }
}

/** Every token a replay of these events leaves, by id. */
export function replayApiTokens(events: Iterable<RecordedEvent>): Map<string, ApiTokenState> {
  const tokens = new Map<string, ApiTokenState>();
  for (const e of events) {
    if (!e.stream_id.startsWith('api-token-')) continue;
    const id = (e.data as { token_id?: string }).token_id;
    const next = id ? evolveApiToken(tokens.get(id), e) : undefined;
    if (id && next) tokens.set(id, next);
  }
  return tokens;
}
