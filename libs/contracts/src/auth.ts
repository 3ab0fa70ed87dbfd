import type { UserRole } from '@crm/events';

/** What the API shows of an account: never a hash, never a token version. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
}

/** GET, PATCH /api/auth/me/settings: the signed-in person's own settings. */
export interface MySettings {
  /** The page they land on after signing in. */
  start_page: 'grid' | 'dashboard';
}

/** The answer to signing in, setting up the first admin and accepting an invite. */
export interface SignedIn {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: PublicUser;
}

/** POST /api/auth/login */
export interface LoginRequest {
  email: string;
  password: string;
}

/** POST /api/auth/setup: the first admin, through the one-time link printed at start-up. */
export interface SetupRequest {
  token: string;
  email: string;
  name: string;
  password: string;
}

export interface InviteTokenRequest {
  token: string;
}

/** POST /api/auth/accept-invite */
export interface AcceptInviteRequest extends InviteTokenRequest {
  name: string;
  password: string;
  /** When given, it must be the address the invite was made for. */
  email?: string;
}

/** POST /api/auth/password */
export interface ChangePasswordRequest {
  current_password: string;
  new_password: string;
}

/** GET /api/auth/setup-status */
export interface SetupStatus {
  needs_setup: boolean;
}

/** POST /api/auth/invite-info: what an invite link opens, for the accept page. */
export interface InviteInfo {
  email: string;
  role: UserRole;
  expires_at: string;
}
