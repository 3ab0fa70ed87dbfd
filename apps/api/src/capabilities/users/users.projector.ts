import { type RecordedEvent, type UserEvent } from '@crm/events';
import { evolveInvite, evolveUser } from '@crm/domain';
import { type Projector } from '../../infrastructure/projections/projector';
import { type UsersRepository } from './users.repository';

/**
 * `users` and `invites`, through the domain's evolve functions so that the tables and a replay agree.
 * Each row keeps its stream version; an event at or below it is skipped, so applying twice is harmless.
 * The secret stores (credentials, token hashes) are not projections and a rebuild leaves them alone.
 */
export class UsersProjector implements Projector {
  readonly name = 'users';
  readonly tables = ['users', 'invites'] as const;

  constructor(private readonly repo: UsersRepository) {}

  async apply(events: readonly RecordedEvent[]): Promise<void> {
    for (const e of events) this.project(e);
  }

  private project(recorded: RecordedEvent): void {
    const event = recorded as unknown as UserEvent;
    const at = {
      recorded_at: recorded.recorded_at,
      actor_id: recorded.metadata.actor_id,
      stream_version: recorded.stream_version,
    };
    if (recorded.stream_id.startsWith('user-')) {
      const id = (event.data as { user_id?: string }).user_id;
      const current = id ? this.repo.user(id) : undefined;
      if (current && current.version >= recorded.stream_version) return;
      const next = evolveUser(current, event, at);
      if (next && next !== current) this.repo.saveUser(next);
    } else if (recorded.stream_id.startsWith('invite-')) {
      const id = (event.data as { invite_id?: string }).invite_id;
      const current = id ? this.repo.invite(id) : undefined;
      if (current && current.version >= recorded.stream_version) return;
      const next = evolveInvite(current, event, at);
      if (next && next !== current) this.repo.saveInvite(next);
    }
  }

  async reset(): Promise<void> {
    for (const t of this.tables) this.repo.db.prepare(`DELETE FROM ${t}`).run();
  }
}
