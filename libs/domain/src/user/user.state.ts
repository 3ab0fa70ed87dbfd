import { type StartPage, type UserRole } from '@crm/events';

export interface UserState {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  /** Where they land after signing in. */
  start_page: StartPage;
  /** Bumped by every event that must end the user's sessions; tokens carry the version they were issued at. */
  token_version: number;
  /** Version of the `user-<id>` stream. */
  version: number;
  created_at: string;
  updated_at: string;
}

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InviteState {
  id: string;
  email: string;
  role: UserRole;
  created_at: string;
  created_by: string;
  expires_at: string;
  /** As the log left it; `expired` is a matter of time, see inviteStatus. */
  state: 'pending' | 'accepted' | 'revoked';
  accepted_by: string | null;
  closed_at: string | null;
  version: number;
}

/** Every account and invite, as a replay of the log gives them. */
export interface AccountsState {
  users: Map<string, UserState>;
  invites: Map<string, InviteState>;
  position: number;
}

export const initialAccountsState = (): AccountsState => ({
  users: new Map(),
  invites: new Map(),
  position: 0,
});

/** An invite is usable while pending and before its expiry (the expiry instant itself is too late). */
export function inviteStatus(
  invite: Pick<InviteState, 'state' | 'expires_at'>,
  now: string,
): InviteStatus {
  if (invite.state !== 'pending') return invite.state;
  return Date.parse(invite.expires_at) <= Date.parse(now) ? 'expired' : 'pending';
}

export const isActiveAdmin = (u: Pick<UserState, 'role' | 'disabled'>): boolean =>
  u.role === 'admin' && !u.disabled;
