import { type RecordedEvent } from '@crm/events';
import { evolveApiToken } from '@crm/domain';
import { type Projector } from '../../infrastructure/projections/projector';
import { type ApiTokensRepository } from './api-tokens.repository';

/**
 * `api_tokens`, through the domain's evolve function so that the table and a replay agree. A row
 * keeps its stream version; an event at or below it is skipped, so applying twice is harmless. The
 * secret store (keyed hashes, last use) is not a projection and a rebuild leaves it alone.
 */
export class ApiTokensProjector implements Projector {
  readonly name = 'api-tokens';
  readonly tables = ['api_tokens'] as const;

  constructor(private readonly repo: ApiTokensRepository) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const e of events) {
      if (!e.stream_id.startsWith('api-token-')) continue;
      const id = (e.data as { token_id?: string }).token_id;
      const current = id ? this.repo.token(id) : undefined;
      if (current && current.version >= e.stream_version) continue;
      const next = evolveApiToken(current, e);
      if (next && next !== current) this.repo.save(next);
    }
  }

  async reset(): Promise<void> {
    this.repo.db.prepare('DELETE FROM api_tokens').run();
  }
}
