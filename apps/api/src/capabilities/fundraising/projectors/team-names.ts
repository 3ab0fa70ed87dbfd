import { type TeamDirectory, type TeamMember } from '@crm/domain';
import type { RecordedEvent } from '@crm/events';

/**
 * The team as formulas read it (people fields read as names), kept by the grid projector from the
 * accounts' events it meets in the log, so that a replay reads each name exactly when the live
 * projection did, whatever order the projectors are rebuilt in. Outside a replay it starts from the
 * accounts' read model (the names up to the grid's checkpoint) and learns the new ones as they come.
 */
export class TeamNames {
  private known: Map<string, TeamMember> | null = null;

  constructor(private readonly load: () => TeamMember[]) {}

  readonly member: TeamDirectory = (id) => this.members().get(id);

  /** An account's event, in log order; other events are ignored. */
  learn(e: RecordedEvent): void {
    if (e.type !== 'UserCreated' && e.type !== 'UserJoined') return;
    const d = e.data as { user_id: string; name: string; email: string };
    this.members().set(d.user_id, { id: d.user_id, name: d.name, email: d.email, disabled: false });
  }

  /** A replay from the start of the log: nobody is known until their account's event. */
  replayFromStart(): void {
    this.known = new Map();
  }

  private members(): Map<string, TeamMember> {
    this.known ??= new Map(this.load().map((m) => [m.id, m]));
    return this.known;
  }
}
