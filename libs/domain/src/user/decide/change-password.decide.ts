import { accountStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { illegal } from '../../errors';
import { type AccountsContext } from '../user.context';
import { requireUser } from './require-user';

export interface ChangePassword {
  user_id: string;
}

/** Records that the password changed (the hash itself is kept apart from the log) and ends older sessions. */
export function decideChangePassword(cmd: ChangePassword, ctx: AccountsContext): Decision {
  const user = requireUser(ctx, cmd.user_id);
  if (user.disabled) throw illegal('this account is disabled', { field: 'user_id' });
  const b = new DecisionBuilder();
  b.emit(accountStreams.user(user.id), user.version, {
    type: 'UserPasswordChanged',
    data: { user_id: user.id },
  });
  return b.build();
}
