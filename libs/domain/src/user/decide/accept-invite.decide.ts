import { accountStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, type DomainErrorReason } from '../../errors';
import { checkId } from '../../table/table.rules';
import { type AccountsContext } from '../user.context';
import { checkUserName, normalizeEmail } from '../user.rules';
import { inviteStatus } from '../user.state';

export interface AcceptInvite {
  invite_id: string;
  user_id: string;
  name: string;
  /** When the person states an address, it must be the one the invite was made for. */
  email?: string;
  at: string;
}

const REFUSAL = {
  unknown: 'invite_unknown',
  used: 'invite_used',
  revoked: 'invite_revoked',
  expired: 'invite_expired',
  email: 'invite_email_mismatch',
} as const satisfies Record<string, DomainErrorReason>;

const refused = (message: string, reason: keyof typeof REFUSAL) =>
  new DomainError('forbidden', message, { field: 'token', reason }, REFUSAL[reason]);

/**
 * Creates the account the invite was made for, with the invite's address and role. The invite's
 * stream version makes it single-use even when two people race to accept it.
 */
export function decideAcceptInvite(cmd: AcceptInvite, ctx: AccountsContext): Decision {
  const invite = ctx.invite(cmd.invite_id);
  if (!invite) throw refused('this invite link is not valid', 'unknown');
  switch (inviteStatus(invite, cmd.at)) {
    case 'accepted':
      throw refused('this invite was already used', 'used');
    case 'revoked':
      throw refused('this invite was revoked; ask an admin for a new one', 'revoked');
    case 'expired':
      throw refused('this invite has expired; ask an admin for a new one', 'expired');
    case 'pending':
      break;
  }
  if (cmd.email !== undefined && normalizeEmail(cmd.email) !== invite.email)
    throw refused('this invite was made for another email address', 'email');
  const id = checkId('user id', cmd.user_id);
  const name = checkUserName(cmd.name);
  if (ctx.userByEmail(invite.email))
    throw new DomainError(
      'conflict',
      'an account with this email already exists',
      { field: 'email' },
      'email_taken',
    );
  const b = new DecisionBuilder();
  b.emit(accountStreams.user(id), 0, {
    type: 'UserJoined',
    data: { user_id: id, email: invite.email, name, role: invite.role, invite_id: invite.id },
  });
  b.emit(accountStreams.invite(invite.id), invite.version, {
    type: 'InviteAccepted',
    data: { invite_id: invite.id, user_id: id },
  });
  return b.build();
}
