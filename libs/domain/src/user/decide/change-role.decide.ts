import { accountStreams, type UserRole } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal } from '../../errors';
import { type AccountsContext } from '../user.context';
import { checkRole } from '../user.rules';
import { isActiveAdmin } from '../user.state';
import { requireUser } from './require-user';

export interface ChangeRole {
  user_id: string;
  role: UserRole;
}

/** The last active admin cannot be demoted: someone must always be able to manage the accounts. */
export function decideChangeRole(cmd: ChangeRole, ctx: AccountsContext): Decision {
  const user = requireUser(ctx, cmd.user_id);
  const role = checkRole(cmd.role);
  const b = new DecisionBuilder();
  if (user.role === role) return b.build();
  if (isActiveAdmin(user) && ctx.activeAdminCount() <= 1)
    throw illegal('the last active admin cannot be demoted; make someone else an admin first', {
      field: 'role',
    });
  b.emit(accountStreams.user(user.id), user.version, {
    type: 'UserRoleChanged',
    data: { user_id: user.id, from: user.role, to: role },
  });
  return b.build();
}
