import { notFound } from '../../errors';
import { AccountsContext } from '../user.context';
import { UserState } from '../user.state';

export function requireUser(ctx: AccountsContext, id: unknown): UserState {
  const user = typeof id === 'string' ? ctx.user(id) : undefined;
  if (!user) throw notFound(`user ${String(id)} does not exist`, { field: 'user_id' });
  return user;
}
