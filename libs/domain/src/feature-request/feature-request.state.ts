import { type FeatureRequestEvent, type FeatureRequestStatus } from '@crm/events';

export interface FeatureRequestState {
  id: string;
  title: string;
  body: string;
  status: FeatureRequestStatus;
  /** Who voted, in the order they did. */
  voters: string[];
  created_by: string;
  created_at: string;
  updated_at: string;
  /** Version of the request's stream. */
  version: number;
}

interface Stamp {
  recorded_at: string;
  actor_id: string;
  stream_version: number;
}

/** The next state of a request after one of its events. Never throws. */
export function evolveFeatureRequest(
  state: FeatureRequestState | undefined,
  event: FeatureRequestEvent,
  at: Stamp,
): FeatureRequestState | undefined {
  if (event.type === 'FeatureRequestFiled')
    return {
      id: event.data.request_id,
      title: event.data.title,
      body: event.data.body,
      status: 'open',
      voters: [],
      created_by: at.actor_id,
      created_at: at.recorded_at,
      updated_at: at.recorded_at,
      version: at.stream_version,
    };
  if (!state) return state;
  const next = { ...state, updated_at: at.recorded_at, version: at.stream_version };
  switch (event.type) {
    case 'FeatureRequestEdited':
      for (const c of event.data.changes) next[c.field] = c.to;
      return next;
    case 'FeatureRequestStatusChanged':
      return { ...next, status: event.data.to };
    case 'FeatureRequestVoted':
      return { ...next, voters: [...state.voters, event.data.user_id] };
    case 'FeatureRequestUnvoted':
      return { ...next, voters: state.voters.filter((v) => v !== event.data.user_id) };
  }
}
