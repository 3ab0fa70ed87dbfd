import { accountStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { type AccountsContext } from '../user.context';
import { requireUser } from './require-user';

export interface LogOut {
  user_id: string;
}

/** Ends every session of the user: their tokens carry a token version that is no longer current. */
export function decideLogOut(cmd: LogOut, ctx: AccountsContext): Decision {
  const user = requireUser(ctx, cmd.user_id);
  const b = new DecisionBuilder();
  b.emit(accountStreams.user(user.id), user.version, {
    type: 'UserLoggedOut',
    data: { user_id: user.id },
  });
  return b.build();
}
