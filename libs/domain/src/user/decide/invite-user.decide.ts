import { accountStreams, type UserRole } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, illegal, invalid } from '../../errors';
import { checkId } from '../../table/table.rules';
import { type AccountsContext } from '../user.context';
import { checkRole, normalizeEmail } from '../user.rules';
import { inviteStatus } from '../user.state';

export interface InviteUser {
  invite_id: string;
  email: string;
  role: UserRole;
  at: string;
  expires_at: string;
}

/** A new invite replaces any invite to the same address that could still be used. */
export function decideInviteUser(cmd: InviteUser, ctx: AccountsContext): Decision {
  const id = checkId('invite id', cmd.invite_id);
  const email = normalizeEmail(cmd.email);
  const role = checkRole(cmd.role);
  if (!(Date.parse(cmd.expires_at) > Date.parse(cmd.at)))
    throw invalid('an invite must expire after it is made', { field: 'expires_at' });
  if (ctx.invite(id)) throw illegal(`invite ${id} already exists`, { field: 'invite_id' });
  if (ctx.userByEmail(email))
    throw new DomainError(
      'conflict',
      'an account with this email already exists',
      { field: 'email' },
      'email_taken',
    );
  const b = new DecisionBuilder();
  for (const old of ctx.pendingInvitesFor(email)) {
    if (inviteStatus(old, cmd.at) === 'pending') {
      b.emit(accountStreams.invite(old.id), old.version, {
        type: 'InviteRevoked',
        data: { invite_id: old.id, email, reason: 'replaced' },
      });
    }
  }
  b.emit(accountStreams.invite(id), 0, {
    type: 'UserInvited',
    data: { invite_id: id, email, role, expires_at: new Date(cmd.expires_at).toISOString() },
  });
  return b.build();
}
