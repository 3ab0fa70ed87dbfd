import { get, post } from '../http';

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
}

interface Session {
  access_token?: string;
  user: User;
}

export const authApi = {
  setupStatus: () => get<{ needs_setup: boolean }>('/api/auth/setup-status', { quiet401: true }),
  setup: (body: { token: string; email: string; name: string; password: string }) =>
    post<Session>('/api/auth/setup', body, { quiet401: true }),
  login: (email: string, password: string) =>
    post<Session>('/api/auth/login', { email, password }, { quiet401: true }),
  logout: () => post<unknown>('/api/auth/logout', {}, { quiet401: true }),
  me: () => get<User | { user: User }>('/api/auth/me', { quiet401: true }),
  changePassword: (current_password: string, new_password: string) =>
    post<unknown>('/api/auth/password', { current_password, new_password }),
  inviteInfo: (token: string) =>
    post<{ email: string; role: 'admin' | 'member'; expires_at: string }>(
      '/api/auth/invite-info',
      { token },
      { quiet401: true },
    ),
  acceptInvite: (body: { token: string; name: string; password: string }) =>
    post<Session>('/api/auth/accept-invite', body, { quiet401: true }),
};
