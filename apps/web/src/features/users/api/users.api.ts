import type { AdminUser, CreatedInvite, Invite, UpdateUserRequest } from '@crm/contracts';
import type { UserRole } from '@crm/events';
import { del, get, patch, post } from '../../../app/http';

export type { AdminUser, CreatedInvite, Invite } from '@crm/contracts';

export const usersApi = {
  users: () => get<AdminUser[]>('/api/admin/users'),
  invites: () => get<Invite[]>('/api/admin/invites'),
  invite: (email: string, role: UserRole) =>
    post<CreatedInvite>('/api/admin/invites', { email, role }),
  revokeInvite: (id: string) => del<Invite>(`/api/admin/invites/${encodeURIComponent(id)}`),
  update: (id: string, body: UpdateUserRequest) =>
    patch<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}`, body),
};
