import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import {
  checkPassword,
  DomainError,
  InviteState,
  inviteStatus,
  PasswordContext,
  requireUser,
  UserState,
} from '@crm/domain';
import { UserRole } from '@crm/events';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { isCommonPassword } from '../../infrastructure/security/common-passwords';
import { newOneTimeToken, sha256Hex } from '../../infrastructure/security/one-time-token';
import { PasswordHasher } from '../../infrastructure/security/password-hasher';
import { UsersRepository } from './users.repository';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { AccountCommands } from './account.commands';

/** How long the printed first-admin setup link works. */
export const SETUP_TOKEN_TTL_HOURS = 24;

/**
 * Account flows that need more than one synchronous command: the password policy and argon2id
 * hashing (async, outside the transaction), then the command that stores events and hash together.
 */
@Injectable()
export class AccountsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly users: UsersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: AccountCommands,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hasher: PasswordHasher,
  ) {}

  /** CRM_ADMIN_EMAIL + CRM_ADMIN_PASSWORD make the first admin when there is no account yet, and only then. */
  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword, adminName } = this.config;
    if (!adminEmail || !adminPassword || this.users.userCount() > 0) return;
    const hash = await this.strongHash(adminPassword, { email: adminEmail, name: adminName });
    try {
      const user = await this.accounts.createUser(
        { email: adminEmail, name: adminName, role: 'admin', via: 'environment' },
        hash,
        { actor: SYSTEM_ACTOR, source: 'system' },
      );
      this.logger.log(
        `created the first admin ${user.email} from CRM_ADMIN_EMAIL; CRM_ADMIN_PASSWORD can now be removed from the environment`,
      );
    } catch (e) {
      // Another process sharing the database got there first.
      if (!(e instanceof DomainError && e.code === 'illegal_state')) throw e;
    }
  }

  needsSetup(): boolean {
    return this.users.userCount() === 0;
  }

  /** A fresh one-time link for the first admin (replacing any earlier one), or null when an account exists. */
  async issueSetupToken(): Promise<{ token: string; expires_at: string } | null> {
    if (!this.needsSetup()) return null;
    const token = newOneTimeToken();
    const { expires_at } = await this.accounts.issueSetupToken(
      sha256Hex(token),
      SETUP_TOKEN_TTL_HOURS,
    );
    return { token, expires_at };
  }

  async setup(
    token: string,
    input: { email: string; name: string; password: string },
  ): Promise<UserState> {
    const hash = await this.strongHash(input.password, input);
    return this.accounts.setupFirstAdmin(sha256Hex(token), input, hash);
  }

  async createUser(
    input: { email: string; name: string; role: UserRole; password: string },
    actor: Actor,
  ): Promise<UserState> {
    const hash = await this.strongHash(input.password, input);
    return this.accounts.createUser(
      { email: input.email, name: input.name, role: input.role, via: 'admin' },
      hash,
      { actor, source: 'api' },
    );
  }

  async invite(
    input: { email: string; role: UserRole },
    actor: Actor,
  ): Promise<{ invite: InviteState; token: string }> {
    const token = newOneTimeToken();
    const invite = await this.accounts.invite(input, sha256Hex(token), this.config.inviteTtlDays, {
      actor,
      source: 'api',
    });
    return { invite, token };
  }

  revokeInvite(id: string, actor: Actor): Promise<InviteState> {
    return this.accounts.revokeInvite(id, { actor, source: 'api' });
  }

  /** The invite a token opens, while it can still be accepted. */
  pendingInvite(token: string): InviteState {
    const invite = this.accounts.inviteForToken(sha256Hex(token));
    const status = inviteStatus(invite, this.clock.now());
    if (status !== 'pending') {
      const message = {
        accepted: 'this invite was already used',
        revoked: 'this invite was revoked; ask an admin for a new one',
        expired: 'this invite has expired; ask an admin for a new one',
      }[status];
      const reason = status === 'accepted' ? 'used' : status;
      throw new DomainError('forbidden', message, { field: 'token', reason }, `invite_${reason}`);
    }
    return invite;
  }

  async acceptInvite(
    token: string,
    input: { name: string; password: string; email?: string },
  ): Promise<UserState> {
    const invite = this.pendingInvite(token);
    const hash = await this.strongHash(input.password, { email: invite.email, name: input.name });
    return this.accounts.acceptInvite(
      sha256Hex(token),
      { name: input.name, email: input.email },
      hash,
    );
  }

  updateUser(
    id: string,
    change: { role?: UserRole; disabled?: boolean },
    actor: Actor,
  ): Promise<UserState> {
    return this.accounts.updateUser(id, change, { actor, source: 'api' });
  }

  async setPassword(userId: string, password: string, actor: Actor): Promise<UserState> {
    const user = requireUser(this.users, userId);
    const hash = await this.strongHash(password, { email: user.email, name: user.name });
    return this.accounts.changePassword(user.id, hash, { actor, source: 'api' });
  }

  /** Checks the password against the policy, then hashes it. */
  async strongHash(password: string, context: PasswordContext): Promise<string> {
    checkPassword(password, context, isCommonPassword);
    return this.hasher.hash(password);
  }
}
