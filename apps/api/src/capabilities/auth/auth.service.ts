import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { checkPassword, invalid, UserState } from '@crm/domain';
import { Actor } from '../../infrastructure/request-context/actor';
import { isCommonPassword } from '../../infrastructure/security/common-passwords';
import { PasswordHasher } from '../../infrastructure/security/password-hasher';
import { publicUser } from '../users/index';
import { TokenService } from './token.service';
import { AccountCommands, UsersRepository } from '../users';
import type { SignedIn } from '@crm/contracts';

/** The one answer to a failed sign-in, whether or not the address has an account. */
export const LOGIN_FAILED_MESSAGE = 'the email or password is not right';

export type { SignedIn } from '@crm/contracts';

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersRepository,
    private readonly accounts: AccountCommands,
    private readonly tokens: TokenService,
    private readonly hasher: PasswordHasher,
  ) {}

  signedIn(user: UserState): SignedIn {
    return {
      access_token: this.tokens.issue(user),
      token_type: 'Bearer',
      expires_in: this.tokens.ttlSeconds,
      user: publicUser(user),
    };
  }

  /**
   * A wrong password, an unknown address and a disabled account all get the same answer after the
   * same work (an argon2 check, against a dummy hash when there is no account). Failures are logged
   * with the address and client IP, never the password.
   */
  async login(emailRaw: string, password: string, ip: string): Promise<SignedIn> {
    const email = emailRaw.trim().toLowerCase();
    const user = this.users.userByEmail(email);
    const hash = user ? this.users.passwordHash(user.id) : undefined;
    const ok = await this.hasher.verify(hash, password);
    if (!ok || !user || user.disabled) {
      this.logger.warn(`sign-in failed for ${JSON.stringify(email.slice(0, 120))} from ${ip}`);
      throw new UnauthorizedException(LOGIN_FAILED_MESSAGE);
    }
    if (hash && this.hasher.needsRehash(hash))
      await this.accounts.rehash(user.id, await this.hasher.hash(password));
    return this.signedIn(user);
  }

  /** Ends every session of the user, then hands back a fresh token for this one. */
  /** The person's own start page (the domain names a bad one). */
  chooseStartPage(actor: Actor, startPage: string): Promise<UserState> {
    return this.accounts.chooseStartPage(actor.id, startPage, { actor, source: 'api' });
  }

  async changePassword(actor: Actor, current: string, next: string): Promise<SignedIn> {
    const user = this.users.user(actor.id);
    if (!user) throw new UnauthorizedException('sign in to continue');
    if (!(await this.hasher.verify(this.users.passwordHash(user.id), current)))
      throw invalid('the current password is not right', { field: 'current_password' });
    checkPassword(next, { email: user.email, name: user.name }, isCommonPassword);
    if (await this.hasher.verify(this.users.passwordHash(user.id), next))
      throw invalid('the new password is the same as the current one', { field: 'new_password' });
    const updated = await this.accounts.changePassword(user.id, await this.hasher.hash(next), {
      actor,
      source: 'api',
    });
    return this.signedIn(updated);
  }

  logout(actor: Actor): Promise<void> {
    return this.accounts.logOut(actor.id, { actor, source: 'api' });
  }
}
