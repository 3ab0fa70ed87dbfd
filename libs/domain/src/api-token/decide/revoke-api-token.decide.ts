import { apiTokenStream } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { notFound } from '../../errors';
import { type ApiTokensContext } from '../api-token.state';

export interface RevokeApiToken {
  token_id: string;
  /** Who asks: the token's owner, or an admin (who may revoke anyone's). */
  by: { id: string; role: 'admin' | 'member' | 'system' };
}

/**
 * Revoking twice changes nothing. Someone else's token is "not found" to a member, so that a member
 * cannot learn which token ids exist.
 */
export function decideRevokeApiToken(cmd: RevokeApiToken, ctx: ApiTokensContext): Decision {
  const token = ctx.token(cmd.token_id);
  if (!token || (token.user_id !== cmd.by.id && cmd.by.role !== 'admin'))
    throw notFound(`token ${String(cmd.token_id)} does not exist`, { field: 'token_id' });
  const b = new DecisionBuilder();
  if (token.revoked_at !== null) return b.build();
  b.emit(apiTokenStream(token.id), token.version, {
    type: 'ApiTokenRevoked',
    data: { token_id: token.id, user_id: token.user_id },
  });
  return b.build();
}
