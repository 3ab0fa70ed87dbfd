import { type ApiTokenEvent, type RecordedEvent } from '@crm/events';

/** A short sentence for an API token event, for the activity feed; null for other events. */
export function describeApiTokenEvent(recorded: RecordedEvent): string | null {
  const e = recorded as unknown as ApiTokenEvent;
  switch (e.type) {
    case 'ApiTokenCreated':
      return `made API token "${e.data.name}" (${e.data.scope === 'write' ? 'read and write' : 'read only'})`;
    case 'ApiTokenRevoked':
      return 'revoked an API token';
    default:
      return null;
  }
}
