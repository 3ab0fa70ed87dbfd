import { API_TOKEN_SCOPES, type ApiTokenScope, apiTokenStream } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal, invalid } from '../../errors';
import { checkId } from '../../table/table.rules';
import { API_TOKEN_NAME_MAX_LENGTH, type ApiTokensContext } from '../api-token.state';

export interface CreateApiToken {
  token_id: string;
  user_id: string;
  name: string;
  scope: ApiTokenScope;
  expires_at: string | null;
  at: string;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string') throw invalid('name must be text', { field: 'name' });
  const n = name.trim();
  const length = [...n].length;
  if (length === 0 || length > API_TOKEN_NAME_MAX_LENGTH)
    throw invalid(
      `name must be 1 to ${API_TOKEN_NAME_MAX_LENGTH} characters`,
      { field: 'name', max: API_TOKEN_NAME_MAX_LENGTH, given_length: length },
      length === 0 ? 'invalid_value' : 'too_large',
    );
  if (/\p{Cc}/u.test(n))
    throw invalid('name must not contain control characters', { field: 'name' });
  return n;
}

function checkExpiry(expiresAt: unknown, at: string): string | null {
  if (expiresAt === null || expiresAt === undefined) return null;
  const ms = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
  if (Number.isNaN(ms))
    throw invalid('expires_at must be a date and time (ISO 8601) or null', {
      field: 'expires_at',
    });
  if (ms <= Date.parse(at))
    throw invalid('expires_at must be in the future', { field: 'expires_at' });
  return new Date(ms).toISOString();
}

/** A new token for its owner; the secret itself never enters the log. */
export function decideCreateApiToken(cmd: CreateApiToken, ctx: ApiTokensContext): Decision {
  const id = checkId('token id', cmd.token_id);
  const name = checkName(cmd.name);
  if (!API_TOKEN_SCOPES.includes(cmd.scope))
    throw invalid(`scope must be one of ${API_TOKEN_SCOPES.join(', ')}`, { field: 'scope' });
  const expires_at = checkExpiry(cmd.expires_at, cmd.at);
  if (ctx.token(id)) throw illegal(`token ${id} already exists`, { field: 'token_id' });
  const b = new DecisionBuilder();
  b.emit(apiTokenStream(id), 0, {
    type: 'ApiTokenCreated',
    data: { token_id: id, user_id: cmd.user_id, name, scope: cmd.scope, expires_at },
  });
  return b.build();
}
