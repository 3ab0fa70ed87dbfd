import {
  FEATURE_REQUEST_EVENT_TYPES,
  type FeatureRequestEvent,
  type RecordedEvent,
} from '@crm/events';
import { evolveFeatureRequest } from '@crm/domain';
import { type Projector } from '../../infrastructure/projections/projector';
import { type FeatureRequestsRepository } from './feature-requests.repository';

const TYPES = new Set<string>(FEATURE_REQUEST_EVENT_TYPES);

/**
 * The board's requests and votes, through the domain's evolve function so that the tables and the
 * deciders agree. A row keeps its stream version; an event at or below it is skipped.
 */
export class FeatureRequestsProjector implements Projector {
  readonly name = 'feature_requests';
  readonly tables = ['feature_request_votes', 'feature_requests'] as const;

  constructor(private readonly repo: FeatureRequestsRepository) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      if (!TYPES.has(recorded.type)) continue;
      const event = recorded as unknown as FeatureRequestEvent;
      const current = this.repo.request(event.data.request_id);
      if (current && current.version >= recorded.stream_version) continue;
      const next = evolveFeatureRequest(current, event, {
        recorded_at: recorded.recorded_at,
        actor_id: recorded.metadata.actor_id,
        stream_version: recorded.stream_version,
      });
      if (next) this.repo.save(next, current);
    }
  }

  async reset(): Promise<void> {
    this.repo.reset();
  }
}
