import {
  FEATURE_REQUEST_EVENT_TYPES,
  type FeatureRequestEvent,
  type RecordedEvent,
} from '@crm/events';

const TYPES = new Set<string>(FEATURE_REQUEST_EVENT_TYPES);
const STATUS: Record<string, string> = {
  open: 'open',
  planned: 'planned',
  in_progress: 'in progress',
  done: 'done',
  declined: 'declined',
};

/** A sentence for a feature request's event, or null for other events. */
export function describeFeatureRequestEvent(recorded: RecordedEvent): string | null {
  if (!TYPES.has(recorded.type)) return null;
  const e = recorded as unknown as FeatureRequestEvent;
  switch (e.type) {
    case 'FeatureRequestFiled':
      return `filed the feature request "${e.data.title}"`;
    case 'FeatureRequestEdited':
      return `edited a feature request (${e.data.changes.map((c) => c.field).join(' and ')})`;
    case 'FeatureRequestStatusChanged':
      return `moved "${e.data.title}" from ${STATUS[e.data.from]} to ${STATUS[e.data.to]}`;
    case 'FeatureRequestVoted':
      return 'voted for a feature request';
    case 'FeatureRequestUnvoted':
      return 'took back a vote for a feature request';
  }
}
