import type {
  ChangeFeatureRequestBody,
  FeatureRequest,
  FeatureRequestList,
  FileFeatureRequestBody,
  PeopleList,
} from '@crm/contracts';
import { del, get, patch, post } from '../../../app/http';

export type { FeatureRequest, FeatureRequestStatus } from '@crm/contracts';

const one = (id: string) => `/api/feature-requests/${encodeURIComponent(id)}`;

export const featureRequestsApi = {
  list: () => get<FeatureRequestList>('/api/feature-requests'),
  file: (body: FileFeatureRequestBody) => post<FeatureRequest>('/api/feature-requests', body),
  change: (id: string, body: ChangeFeatureRequestBody) => patch<FeatureRequest>(one(id), body),
  vote: (id: string) => post<FeatureRequest>(`${one(id)}/vote`),
  unvote: (id: string) => del<FeatureRequest>(`${one(id)}/vote`),
  /** The team, to name who filed each request. */
  people: () => get<PeopleList>('/api/fundraising/people'),
};
