import { accountStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal, notFound } from '../../errors';
import { type AccountsContext } from '../user.context';

export interface RevokeInvite {
  invite_id: string;
}

/** Revoking twice changes nothing; an invite already used cannot be revoked (disable the account instead). */
export function decideRevokeInvite(cmd: RevokeInvite, ctx: AccountsContext): Decision {
  const invite = ctx.invite(cmd.invite_id);
  if (!invite)
    throw notFound(`invite ${String(cmd.invite_id)} does not exist`, { field: 'invite_id' });
  const b = new DecisionBuilder();
  if (invite.state === 'revoked') return b.build();
  if (invite.state === 'accepted')
    throw illegal('this invite was already used; disable the account instead', {
      field: 'invite_id',
    });
  b.emit(accountStreams.invite(invite.id), invite.version, {
    type: 'InviteRevoked',
    data: { invite_id: invite.id, email: invite.email, reason: 'revoked' },
  });
  return b.build();
}
