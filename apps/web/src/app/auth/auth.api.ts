import type {
  AcceptInviteRequest,
  InviteInfo,
  MySettings,
  PublicUser,
  SetupRequest,
  SetupStatus,
  SignedIn,
} from '@crm/contracts';
import { get, patch, post } from '../http';

export type User = PublicUser;

export const authApi = {
  setupStatus: () => get<SetupStatus>('/api/auth/setup-status', { quiet401: true }),
  setup: (body: SetupRequest) => post<SignedIn>('/api/auth/setup', body, { quiet401: true }),
  login: (email: string, password: string) =>
    post<SignedIn>('/api/auth/login', { email, password }, { quiet401: true }),
  logout: () => post<unknown>('/api/auth/logout', {}, { quiet401: true }),
  me: () => get<User>('/api/auth/me', { quiet401: true }),
  /** The person's own settings: where they land after signing in. */
  settings: () => get<MySettings>('/api/auth/me/settings'),
  saveSettings: (body: MySettings) => patch<MySettings>('/api/auth/me/settings', body),
  changePassword: (current_password: string, new_password: string) =>
    post<unknown>('/api/auth/password', { current_password, new_password }),
  inviteInfo: (token: string) =>
    post<InviteInfo>('/api/auth/invite-info', { token }, { quiet401: true }),
  acceptInvite: (body: AcceptInviteRequest) =>
    post<SignedIn>('/api/auth/accept-invite', body, { quiet401: true }),
};
