import { notFound } from '../../errors';
import { type AccountsContext } from '../user.context';
import { type UserState } from '../user.state';

export function requireUser(ctx: AccountsContext, id: unknown): UserState {
  const user = typeof id === 'string' ? ctx.user(id) : undefined;
  if (!user) throw notFound(`user ${String(id)} does not exist`, { field: 'user_id' });
  return user;
}
