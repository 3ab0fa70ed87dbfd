import { type EventSource } from '@crm/events';
import {
  type AccountsContext,
  type Decision,
  decideAcceptInvite,
  decideChangePassword,
  decideChangeRole,
  decideCreateUser,
  decideInviteUser,
  decideLogOut,
  decideRevokeInvite,
  decideSetUserDisabled,
  DomainError,
  type InviteState,
  requireUser,
  type UserState,
} from '@crm/domain';
import { type UserCreatedVia, type UserRole } from '@crm/events';
import { type Clock, newEventId, newId } from '../../infrastructure/clock';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type UsersRepository } from './users.repository';

export interface AccountMeta {
  actor: Actor;
  source: EventSource;
  correlation_id?: string;
}

/**
 * Command handlers for accounts. Each runs in one transaction: decide, append, project, and write the
 * secret that belongs with the events (a password hash, a token hash) beside them, so that both or
 * neither are stored. Hashing is slow and async, so callers hash first and hand the hash in.
 */
export class AccountCommands {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: SqliteEventStore,
    readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  private get ctx(): AccountsContext {
    return this.users;
  }

  createUser(
    input: { email: string; name: string; role: UserRole; via: UserCreatedVia },
    passwordHash: string,
    meta: AccountMeta,
  ): UserState {
    return this.uow.run(() => {
      const at = this.clock.now();
      const userId = newId('usr');
      this.append(decideCreateUser({ user_id: userId, ...input, at }, this.ctx), meta, at);
      this.users.setPasswordHash(userId, passwordHash, at);
      return this.users.user(userId)!;
    });
  }

  /** The first admin through the one-time setup link; the token is spent in the same transaction. */
  setupFirstAdmin(
    tokenSha256: string,
    input: { email: string; name: string },
    passwordHash: string,
  ): UserState {
    return this.uow.run(() => {
      const at = this.clock.now();
      if (!this.users.useSetupToken(tokenSha256, at))
        throw new DomainError(
          'forbidden',
          'this setup link is not valid, was used or has expired; restart the server for a new one',
          { field: 'token' },
          'setup_link_invalid',
        );
      const userId = newId('usr');
      const decision = decideCreateUser(
        { user_id: userId, ...input, role: 'admin', via: 'setup', at },
        this.ctx,
      );
      this.append(
        decision,
        { actor: { id: userId, name: input.name.trim(), role: 'admin' }, source: 'api' },
        at,
      );
      this.users.setPasswordHash(userId, passwordHash, at);
      return this.users.user(userId)!;
    });
  }

  issueSetupToken(tokenSha256: string, ttlHours: number): { expires_at: string } {
    return this.uow.run(() => {
      const at = this.clock.now();
      const expires_at = new Date(Date.parse(at) + ttlHours * 3_600_000).toISOString();
      this.users.replaceSetupToken(tokenSha256, at, expires_at);
      return { expires_at };
    });
  }

  invite(
    input: { email: string; role: UserRole },
    tokenSha256: string,
    ttlDays: number,
    meta: AccountMeta,
  ): InviteState {
    return this.uow.run(() => {
      const at = this.clock.now();
      const inviteId = newId('inv');
      const expires_at = new Date(Date.parse(at) + ttlDays * 86_400_000).toISOString();
      this.append(
        decideInviteUser({ invite_id: inviteId, ...input, at, expires_at }, this.ctx),
        meta,
        at,
      );
      this.users.saveInviteToken(inviteId, tokenSha256);
      return this.users.invite(inviteId)!;
    });
  }

  revokeInvite(inviteId: string, meta: AccountMeta): InviteState {
    return this.uow.run(() => {
      const at = this.clock.now();
      this.append(decideRevokeInvite({ invite_id: inviteId }, this.ctx), meta, at);
      return this.users.invite(inviteId)!;
    });
  }

  /** What an invite token opens, for the accept page; throws the same refusals as accepting. */
  inviteForToken(tokenSha256: string): InviteState {
    const id = this.users.inviteIdByTokenHash(tokenSha256);
    const invite = id ? this.users.invite(id) : undefined;
    if (!invite)
      throw new DomainError(
        'forbidden',
        'this invite link is not valid',
        { field: 'token', reason: 'unknown' },
        'invite_unknown',
      );
    return invite;
  }

  acceptInvite(
    tokenSha256: string,
    input: { name: string; email?: string },
    passwordHash: string,
  ): UserState {
    return this.uow.run(() => {
      const at = this.clock.now();
      const invite = this.inviteForToken(tokenSha256);
      const userId = newId('usr');
      const decision = decideAcceptInvite(
        { invite_id: invite.id, user_id: userId, ...input, at },
        this.ctx,
      );
      this.append(
        decision,
        { actor: { id: userId, name: input.name.trim(), role: invite.role }, source: 'api' },
        at,
      );
      this.users.setPasswordHash(userId, passwordHash, at);
      return this.users.user(userId)!;
    });
  }

  /** Role first, then the disabled flag, in one transaction: both apply or neither. */
  updateUser(
    userId: string,
    change: { role?: UserRole; disabled?: boolean },
    meta: AccountMeta,
  ): UserState {
    return this.uow.run(() => {
      const at = this.clock.now();
      const correlation_id = meta.correlation_id ?? newId('cor');
      requireUser(this.ctx, userId);
      if (change.role !== undefined)
        this.append(
          decideChangeRole({ user_id: userId, role: change.role }, this.ctx),
          { ...meta, correlation_id },
          at,
        );
      if (change.disabled !== undefined)
        this.append(
          decideSetUserDisabled({ user_id: userId, disabled: change.disabled }, this.ctx),
          { ...meta, correlation_id },
          at,
        );
      return this.users.user(userId)!;
    });
  }

  changePassword(userId: string, passwordHash: string, meta: AccountMeta): UserState {
    return this.uow.run(() => {
      const at = this.clock.now();
      this.append(decideChangePassword({ user_id: userId }, this.ctx), meta, at);
      this.users.setPasswordHash(userId, passwordHash, at);
      return this.users.user(userId)!;
    });
  }

  /** A newer hash of the same password (stronger parameters): not a password change, no event. */
  rehash(userId: string, passwordHash: string): void {
    this.uow.run(() => this.users.setPasswordHash(userId, passwordHash, this.clock.now()));
  }

  logOut(userId: string, meta: AccountMeta): void {
    this.uow.run(() => {
      const at = this.clock.now();
      this.append(decideLogOut({ user_id: userId }, this.ctx), meta, at);
    });
  }

  private append(decision: Decision, meta: AccountMeta, at: string): void {
    const count = decision.appends.reduce((n, a) => n + a.events.length, 0);
    if (count === 0) return;
    this.store.append(decision.appends, {
      metadata: {
        actor_id: meta.actor.id,
        actor_name: meta.actor.name,
        correlation_id: meta.correlation_id ?? newId('cor'),
        causation_id: null,
        source: meta.source,
      },
      recorded_at: at,
      event_ids: Array.from({ length: count }, newEventId),
    });
  }
}
