import { del, get, patch, post } from '../../../app/http';

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  disabled?: boolean;
  disabled_at?: string | null;
  created_at?: string;
  last_login_at?: string | null;
}

export interface Invite {
  id: string;
  email: string;
  role: 'admin' | 'member';
  token?: string;
  url?: string;
  expires_at: string;
  accepted_at?: string | null;
  status?: string;
  created_at?: string;
}

/** Lists may come bare or wrapped (`{ users: [...] }`); both are accepted. */
const list = <T>(body: unknown, key: string): T[] =>
  Array.isArray(body) ? body : (((body as Record<string, unknown>)?.[key] as T[]) ?? []);

export const usersApi = {
  users: async () => list<AdminUser>(await get('/api/admin/users'), 'users'),
  invites: async () => list<Invite>(await get('/api/admin/invites'), 'invites'),
  invite: (email: string, role: 'admin' | 'member') =>
    post<Invite>('/api/admin/invites', { email, role }),
  revokeInvite: (id: string) => del<unknown>(`/api/admin/invites/${encodeURIComponent(id)}`),
  update: (id: string, body: { role?: 'admin' | 'member'; disabled?: boolean }) =>
    patch<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}`, body),
};
