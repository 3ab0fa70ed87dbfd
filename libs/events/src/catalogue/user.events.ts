/**
 * Accounts: people, their roles and the invites that bring them in. These events show in the
 * activity feed and travel with every backup, so none of them ever holds a password, a password
 * hash or an invite/setup token (or a hash of one): those live in the credentials tables only.
 */

export type UserRole = 'admin' | 'member';

export const USER_ROLES: readonly UserRole[] = ['admin', 'member'];

/** How an account came to be without an invite. */
export type UserCreatedVia = 'setup' | 'environment' | 'admin';

export interface UserInvitedData {
  invite_id: string;
  /** Lower-cased; the account the invite creates gets exactly this address. */
  email: string;
  role: UserRole;
  expires_at: string;
}
export interface InviteRevokedData {
  invite_id: string;
  email: string;
  /** `revoked` by an admin, or `replaced` by a newer invite to the same address. */
  reason: 'revoked' | 'replaced';
}
export interface InviteAcceptedData {
  invite_id: string;
  user_id: string;
}
export interface UserCreatedData {
  user_id: string;
  email: string;
  name: string;
  role: UserRole;
  via: UserCreatedVia;
}
export interface UserJoinedData {
  user_id: string;
  email: string;
  name: string;
  role: UserRole;
  invite_id: string;
}
export interface UserRoleChangedData {
  user_id: string;
  from: UserRole;
  to: UserRole;
}
export interface UserDisabledData {
  user_id: string;
}
export interface UserEnabledData {
  user_id: string;
}
/** Only that it changed; the hash is in the credentials table. */
export interface UserPasswordChangedData {
  user_id: string;
}
/** Ends every session of the user (their tokens carry the old token version). */
export interface UserLoggedOutData {
  user_id: string;
}

/** The page a person lands on after signing in. */
export type StartPage = 'grid' | 'dashboard';

export const START_PAGES: readonly StartPage[] = ['grid', 'dashboard'];

/** A person chose the page they land on after signing in (their own setting). */
export interface StartPageChosenData {
  user_id: string;
  from: StartPage;
  to: StartPage;
}

export interface UserEventMap {
  UserInvited: UserInvitedData;
  InviteRevoked: InviteRevokedData;
  InviteAccepted: InviteAcceptedData;
  UserCreated: UserCreatedData;
  UserJoined: UserJoinedData;
  UserRoleChanged: UserRoleChangedData;
  UserDisabled: UserDisabledData;
  UserEnabled: UserEnabledData;
  UserPasswordChanged: UserPasswordChangedData;
  UserLoggedOut: UserLoggedOutData;
  StartPageChosen: StartPageChosenData;
}

export type UserEventType = keyof UserEventMap;

export type UserEvent = { [K in UserEventType]: { type: K; data: UserEventMap[K] } }[UserEventType];

export const USER_EVENT_TYPES: readonly UserEventType[] = [
  'UserInvited',
  'InviteRevoked',
  'InviteAccepted',
  'UserCreated',
  'UserJoined',
  'UserRoleChanged',
  'UserDisabled',
  'UserEnabled',
  'UserPasswordChanged',
  'UserLoggedOut',
  'StartPageChosen',
];

/** Events after which a user's earlier tokens no longer work. */
export const TOKEN_REVOKING_EVENTS: readonly UserEventType[] = [
  'UserRoleChanged',
  'UserDisabled',
  'UserPasswordChanged',
  'UserLoggedOut',
];

/** `user-<id>` per account (see `streams.user`), `invite-<id>` per invite. */
export const accountStreams = {
  user: (id: string) => `user-${id}`,
  invite: (id: string) => `invite-${id}`,
};
