import type {
  ApiTokenList,
  ApiTokenView,
  CreateApiTokenRequest,
  CreatedApiToken,
} from '@crm/contracts';
import { del, get, post } from '../../../app/http';

export type { ApiTokenView, CreatedApiToken } from '@crm/contracts';

export const apiTokensApi = {
  mine: () => get<ApiTokenList>('/api/me/tokens'),
  everyone: () => get<ApiTokenList>('/api/admin/tokens'),
  create: (body: CreateApiTokenRequest) => post<CreatedApiToken>('/api/me/tokens', body),
  revokeMine: (id: string) => del<ApiTokenView>(`/api/me/tokens/${encodeURIComponent(id)}`),
  revokeAny: (id: string) => del<ApiTokenView>(`/api/admin/tokens/${encodeURIComponent(id)}`),
};
