import {
  type RecordedEvent,
  TOKEN_REVOKING_EVENTS,
  type UserEvent,
  type UserEventType,
} from '@crm/events';
import {
  type AccountsState,
  initialAccountsState,
  type InviteState,
  type UserState,
} from './user.state';

interface Stamp {
  recorded_at: string;
  actor_id: string;
  stream_version: number;
}

/** The next state of one user after one of their events. Never throws; other events leave it as it was. */
export function evolveUser(
  state: UserState | undefined,
  event: UserEvent,
  at: Stamp,
): UserState | undefined {
  switch (event.type) {
    case 'UserCreated':
    case 'UserJoined': {
      const d = event.data;
      return {
        id: d.user_id,
        email: d.email,
        name: d.name,
        role: d.role,
        disabled: false,
        start_page: 'grid',
        token_version: 0,
        version: at.stream_version,
        created_at: at.recorded_at,
        updated_at: at.recorded_at,
      };
    }
    default:
      break;
  }
  if (!state) return state;
  const next: UserState = { ...state, version: at.stream_version, updated_at: at.recorded_at };
  if (TOKEN_REVOKING_EVENTS.includes(event.type as UserEventType))
    next.token_version = state.token_version + 1;
  switch (event.type) {
    case 'UserRoleChanged':
      next.role = event.data.to;
      break;
    case 'UserDisabled':
      next.disabled = true;
      break;
    case 'UserEnabled':
      next.disabled = false;
      break;
    case 'StartPageChosen':
      next.start_page = event.data.to;
      break;
    case 'UserPasswordChanged':
    case 'UserLoggedOut':
      break;
    default:
      return state;
  }
  return next;
}

/** The next state of one invite after one of its events. Never throws. */
export function evolveInvite(
  state: InviteState | undefined,
  event: UserEvent,
  at: Stamp,
): InviteState | undefined {
  switch (event.type) {
    case 'UserInvited': {
      const d = event.data;
      return {
        id: d.invite_id,
        email: d.email,
        role: d.role,
        created_at: at.recorded_at,
        created_by: at.actor_id,
        expires_at: d.expires_at,
        state: 'pending',
        accepted_by: null,
        closed_at: null,
        version: at.stream_version,
      };
    }
    case 'InviteAccepted':
      return (
        state && {
          ...state,
          state: 'accepted',
          accepted_by: event.data.user_id,
          closed_at: at.recorded_at,
          version: at.stream_version,
        }
      );
    case 'InviteRevoked':
      return (
        state && {
          ...state,
          state: 'revoked',
          closed_at: at.recorded_at,
          version: at.stream_version,
        }
      );
    default:
      return state;
  }
}

/** Applies one logged event to the accounts. Unknown event types are skipped. */
export function evolveAccounts(state: AccountsState, recorded: RecordedEvent): AccountsState {
  const event = recorded as unknown as UserEvent;
  const at = {
    recorded_at: recorded.recorded_at,
    actor_id: recorded.metadata.actor_id,
    stream_version: recorded.stream_version,
  };
  if (recorded.stream_id.startsWith('user-')) {
    const id = (event.data as { user_id?: string }).user_id;
    if (id) {
      const next = evolveUser(state.users.get(id), event, at);
      if (next) state.users.set(id, next);
    }
  } else if (recorded.stream_id.startsWith('invite-')) {
    const id = (event.data as { invite_id?: string }).invite_id;
    if (id) {
      const next = evolveInvite(state.invites.get(id), event, at);
      if (next) state.invites.set(id, next);
    }
  }
  state.position = recorded.position;
  return state;
}

export function replayAccounts(
  events: Iterable<RecordedEvent>,
  from: AccountsState = initialAccountsState(),
): AccountsState {
  let s = from;
  for (const e of events) s = evolveAccounts(s, e);
  return s;
}
