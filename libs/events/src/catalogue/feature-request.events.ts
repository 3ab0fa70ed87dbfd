/**
 * The team's feature requests: filed by anyone, voted on (one vote a person), their status set by
 * admins. One stream per request (`feature-request-<id>`).
 */

export type FeatureRequestStatus = 'open' | 'planned' | 'in_progress' | 'done' | 'declined';

export const FEATURE_REQUEST_STATUSES: readonly FeatureRequestStatus[] = [
  'open',
  'planned',
  'in_progress',
  'done',
  'declined',
];

export interface FeatureRequestFiledData {
  request_id: string;
  title: string;
  body: string;
}
/** Its title or body rewritten, each with what it was. */
export interface FeatureRequestEditedData {
  request_id: string;
  changes: { field: 'title' | 'body'; from: string; to: string }[];
}
export interface FeatureRequestStatusChangedData {
  request_id: string;
  /** Its title then, so that the feed can name it. */
  title: string;
  from: FeatureRequestStatus;
  to: FeatureRequestStatus;
}
export interface FeatureRequestVotedData {
  request_id: string;
  user_id: string;
}
export interface FeatureRequestUnvotedData {
  request_id: string;
  user_id: string;
}

export interface FeatureRequestEventMap {
  FeatureRequestFiled: FeatureRequestFiledData;
  FeatureRequestEdited: FeatureRequestEditedData;
  FeatureRequestStatusChanged: FeatureRequestStatusChangedData;
  FeatureRequestVoted: FeatureRequestVotedData;
  FeatureRequestUnvoted: FeatureRequestUnvotedData;
}

export type FeatureRequestEventType = keyof FeatureRequestEventMap;

export type FeatureRequestEvent = {
  [K in FeatureRequestEventType]: { type: K; data: FeatureRequestEventMap[K] };
}[FeatureRequestEventType];

export const FEATURE_REQUEST_EVENT_TYPES: readonly FeatureRequestEventType[] = [
  'FeatureRequestFiled',
  'FeatureRequestEdited',
  'FeatureRequestStatusChanged',
  'FeatureRequestVoted',
  'FeatureRequestUnvoted',
];

export const featureRequestStreams = {
  request: (id: string) => `feature-request-${id}`,
};
