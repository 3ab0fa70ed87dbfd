import { accountStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal } from '../../errors';
import { type AccountsContext } from '../user.context';
import { isActiveAdmin } from '../user.state';
import { requireUser } from './require-user';

export interface SetUserDisabled {
  user_id: string;
  disabled: boolean;
}

/** Disabling ends the user's sessions at once; the last active admin cannot be disabled. */
export function decideSetUserDisabled(cmd: SetUserDisabled, ctx: AccountsContext): Decision {
  const user = requireUser(ctx, cmd.user_id);
  const b = new DecisionBuilder();
  if (user.disabled === cmd.disabled) return b.build();
  if (cmd.disabled && isActiveAdmin(user) && ctx.activeAdminCount() <= 1)
    throw illegal('the last active admin cannot be disabled; make someone else an admin first', {
      field: 'disabled',
    });
  b.emit(
    accountStreams.user(user.id),
    user.version,
    cmd.disabled
      ? { type: 'UserDisabled', data: { user_id: user.id } }
      : { type: 'UserEnabled', data: { user_id: user.id } },
  );
  return b.build();
}
