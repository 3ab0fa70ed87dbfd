import type { InviteStatus } from '@crm/domain';
import type { UserRole } from '@crm/events';
import type { PublicUser } from './auth';

/** An account as the admin pages list it (GET/POST/PATCH /api/admin/users). */
export interface AdminUser extends PublicUser {
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

/** POST /api/admin/users */
export interface CreateUserRequest {
  email: string;
  name: string;
  role: UserRole;
  password: string;
}

/** PATCH /api/admin/users/:id */
export interface UpdateUserRequest {
  role?: UserRole;
  disabled?: boolean;
}

/** POST /api/admin/users/:id/password */
export interface SetPasswordRequest {
  password: string;
}

/** POST /api/admin/invites */
export interface CreateInviteRequest {
  email: string;
  role: UserRole;
}

/** An invite as GET /api/admin/invites lists it; never its token. */
export interface Invite {
  id: string;
  email: string;
  role: UserRole;
  status: InviteStatus;
  created_at: string;
  created_by: string;
  expires_at: string;
  accepted_by: string | null;
  closed_at: string | null;
}

/** The answer to making an invite: the only time its token and link are shown. */
export interface CreatedInvite extends Invite {
  token: string;
  url: string;
}
