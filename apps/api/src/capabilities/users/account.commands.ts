import { type EventSource } from '@crm/events';
import {
  type AccountsContext,
  accountsContextOf,
  decideAcceptInvite,
  decideChangePassword,
  decideChangeRole,
  decideCreateUser,
  decideInviteUser,
  decideChooseStartPage,
  decideLogOut,
  decideRevokeInvite,
  decideSetUserDisabled,
  DomainError,
  type InviteState,
  requireUser,
  type UserState,
} from '@crm/domain';
import { type UserCreatedVia, type UserRole } from '@crm/events';
import { newId } from '../../infrastructure/clock';
import type { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { type Actor, SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { type UsersRepository } from './users.repository';

export interface AccountMeta {
  actor: Actor;
  source: EventSource;
  correlation_id?: string;
}

/**
 * Command handlers for accounts. Each runs through the executor in one transaction: decide, append,
 * project, and write the
 * secret that belongs with the events (a password hash, a token hash) beside them, so that both or
 * neither are stored. Hashing is slow and async, so callers hash first and hand the hash in.
 */
export class AccountCommands {
  constructor(
    private readonly executor: CommandExecutor,
    readonly users: UsersRepository,
  ) {}

  /**
   * The accounts state a decider reads, loaded before it runs (the reads may be a server
   * database's): every user and invite, a team's worth. Loaded again before each decision of a
   * command that makes several, so that the second sees what the first appended.
   */
  private async load(): Promise<AccountsContext> {
    const [users, invites] = await Promise.all([this.users.users(), this.users.invites()]);
    return accountsContextOf({
      users: new Map(users.map((u) => [u.id, u])),
      // Oldest first, as the pending invites of an address are read in the database.
      invites: new Map(
        invites
          .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
          .map((i) => [i.id, i]),
      ),
      position: 0,
    });
  }

  createUser(
    input: { email: string; name: string; role: UserRole; via: UserCreatedVia },
    passwordHash: string,
    meta: AccountMeta,
  ): Promise<UserState> {
    return this.executor.execute(meta, async ({ at, append }) => {
      const userId = newId('usr');
      await append(decideCreateUser({ user_id: userId, ...input, at }, await this.load()));
      this.users.setPasswordHash(userId, passwordHash, at);
      return this.users.user(userId)!;
    });
  }

  /** The first admin through the one-time setup link; the token is spent in the same transaction. */
  setupFirstAdmin(
    tokenSha256: string,
    input: { email: string; name: string },
    passwordHash: string,
  ): Promise<UserState> {
    const userId = newId('usr');
    const actor = { id: userId, name: input.name.trim(), role: 'admin' as const };
    return this.executor.execute({ actor, source: 'api' }, async ({ at, append }) => {
      if (!this.users.useSetupToken(tokenSha256, at))
        throw new DomainError(
          'forbidden',
          'this setup link is not valid, was used or has expired; restart the server for a new one',
          { field: 'token' },
          'setup_link_invalid',
        );
      await append(
        decideCreateUser(
          { user_id: userId, ...input, role: 'admin', via: 'setup', at },
          await this.load(),
        ),
      );
      this.users.setPasswordHash(userId, passwordHash, at);
      return this.users.user(userId)!;
    });
  }

  issueSetupToken(tokenSha256: string, ttlHours: number): Promise<{ expires_at: string }> {
    return this.executor.execute({ actor: SYSTEM_ACTOR, source: 'system' }, ({ at }) => {
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
  ): Promise<InviteState> {
    return this.executor.execute(meta, async ({ at, append }) => {
      const inviteId = newId('inv');
      const expires_at = new Date(Date.parse(at) + ttlDays * 86_400_000).toISOString();
      await append(
        decideInviteUser({ invite_id: inviteId, ...input, at, expires_at }, await this.load()),
      );
      this.users.saveInviteToken(inviteId, tokenSha256);
      return this.users.invite(inviteId)!;
    });
  }

  revokeInvite(inviteId: string, meta: AccountMeta): Promise<InviteState> {
    return this.executor.execute(meta, async ({ append }) => {
      await append(decideRevokeInvite({ invite_id: inviteId }, await this.load()));
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
  ): Promise<UserState> {
    const userId = newId('usr');
    // The new user is the actor; the role is the invite's, read again inside the transaction.
    const role = this.inviteForToken(tokenSha256).role;
    const actor = { id: userId, name: input.name.trim(), role };
    return this.executor.execute({ actor, source: 'api' }, async ({ at, append }) => {
      const invite = this.inviteForToken(tokenSha256);
      await append(
        decideAcceptInvite(
          { invite_id: invite.id, user_id: userId, ...input, at },
          await this.load(),
        ),
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
  ): Promise<UserState> {
    return this.executor.execute(meta, async ({ append }) => {
      requireUser(await this.load(), userId);
      if (change.role !== undefined)
        await append(decideChangeRole({ user_id: userId, role: change.role }, await this.load()));
      if (change.disabled !== undefined)
        await append(
          decideSetUserDisabled({ user_id: userId, disabled: change.disabled }, await this.load()),
        );
      return this.users.user(userId)!;
    });
  }

  changePassword(userId: string, passwordHash: string, meta: AccountMeta): Promise<UserState> {
    return this.executor.execute(meta, async ({ at, append }) => {
      await append(decideChangePassword({ user_id: userId }, await this.load()));
      this.users.setPasswordHash(userId, passwordHash, at);
      return this.users.user(userId)!;
    });
  }

  /** A newer hash of the same password (stronger parameters): not a password change, no event. */
  rehash(userId: string, passwordHash: string): Promise<void> {
    return this.executor.execute({ actor: SYSTEM_ACTOR, source: 'system' }, ({ at }) =>
      this.users.setPasswordHash(userId, passwordHash, at),
    );
  }

  chooseStartPage(userId: string, startPage: string, meta: AccountMeta): Promise<UserState> {
    return this.executor.execute(meta, async ({ append }) => {
      await append(
        decideChooseStartPage({ user_id: userId, start_page: startPage }, await this.load()),
      );
      return this.users.user(userId)!;
    });
  }

  logOut(userId: string, meta: AccountMeta): Promise<void> {
    return this.executor.execute(meta, async ({ append }) => {
      await append(decideLogOut({ user_id: userId }, await this.load()));
    });
  }
}
