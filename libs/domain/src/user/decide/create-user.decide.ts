import { accountStreams, type UserCreatedVia, type UserRole } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, illegal } from '../../errors';
import { checkId } from '../../table/table.rules';
import { type AccountsContext } from '../user.context';
import { checkRole, checkUserName, normalizeEmail } from '../user.rules';
import { inviteStatus } from '../user.state';

export interface CreateUser {
  user_id: string;
  email: string;
  name: string;
  role: UserRole;
  /** `setup` and `environment` make the first admin and work only while there is no account. */
  via: UserCreatedVia;
  at: string;
}

export function decideCreateUser(cmd: CreateUser, ctx: AccountsContext): Decision {
  const id = checkId('user id', cmd.user_id);
  const email = normalizeEmail(cmd.email);
  const name = checkUserName(cmd.name);
  const role = checkRole(cmd.role);
  if (cmd.via !== 'admin') {
    if (ctx.userCount() > 0) throw illegal('the first admin already exists', { field: 'via' });
    if (role !== 'admin') throw illegal('the first account must be an admin', { field: 'role' });
  }
  if (ctx.user(id)) throw illegal(`user ${id} already exists`, { field: 'user_id' });
  if (ctx.userByEmail(email))
    throw new DomainError(
      'conflict',
      'an account with this email already exists',
      { field: 'email' },
      'email_taken',
    );
  const b = new DecisionBuilder();
  // An invite to an address that now has an account could never be accepted: close it.
  for (const invite of ctx.pendingInvitesFor(email)) {
    if (inviteStatus(invite, cmd.at) === 'pending') {
      b.emit(accountStreams.invite(invite.id), invite.version, {
        type: 'InviteRevoked',
        data: { invite_id: invite.id, email, reason: 'replaced' },
      });
    }
  }
  b.emit(accountStreams.user(id), 0, {
    type: 'UserCreated',
    data: { user_id: id, email, name, role, via: cmd.via },
  });
  return b.build();
}
