import { type AccountsState, type InviteState, isActiveAdmin, type UserState } from './user.state';

/** What the account deciders may read; the API backs it with the users projection, specs with a replay. */
export interface AccountsContext {
  user(id: string): UserState | undefined;
  /** By lower-cased address. */
  userByEmail(email: string): UserState | undefined;
  userCount(): number;
  activeAdminCount(): number;
  invite(id: string): InviteState | undefined;
  /** Invites to this address that are still pending in the log (some may have expired by now). */
  pendingInvitesFor(email: string): InviteState[];
}

export function accountsContextOf(state: AccountsState): AccountsContext {
  const users = () => [...state.users.values()];
  return {
    user: (id) => state.users.get(id),
    userByEmail: (email) => users().find((u) => u.email === email),
    userCount: () => state.users.size,
    activeAdminCount: () => users().filter(isActiveAdmin).length,
    invite: (id) => state.invites.get(id),
    pendingInvitesFor: (email) =>
      [...state.invites.values()].filter((i) => i.email === email && i.state === 'pending'),
  };
}
