import type { AdminUser, Invite, PublicUser } from '@crm/contracts';
import { type InviteState, inviteStatus, type UserState } from '@crm/domain';

/** What the API shows of an account: never a hash, never a token version. */
export const publicUser = (u: UserState): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
});

export const adminUserView = (u: UserState): AdminUser => ({
  ...publicUser(u),
  disabled: u.disabled,
  created_at: u.created_at,
  updated_at: u.updated_at,
});

export const inviteView = (i: InviteState, now: string): Invite => ({
  id: i.id,
  email: i.email,
  role: i.role,
  status: inviteStatus(i, now),
  created_at: i.created_at,
  created_by: i.created_by,
  expires_at: i.expires_at,
  accepted_by: i.accepted_by,
  closed_at: i.closed_at,
});
