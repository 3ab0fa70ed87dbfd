import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { type UserState } from '@crm/domain';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { type Authenticated, type AuthVia } from './authed-request';
import { SESSION_COOKIE } from './session-cookie';
import {
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_LEEWAY_SECONDS,
  tokenKey,
  verifiedClaims,
} from './token.service';
import { type VerifiedToken, VerifiedTokenCache } from './verified-token-cache';

export const JWT_SESSION_STRATEGY = 'jwt-session';

/** Where the strategy looks users up: as they are now, not as the token remembers them. */
export const SESSION_USERS = Symbol('SESSION_USERS');
export interface SessionUsers {
  user(id: string): UserState | undefined;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * The token of a request: the Bearer header when there is one (a malformed header is no token; it
 * never falls back to the cookie), else the session cookie.
 */
export function sessionToken(req: Request): { token: string; via: AuthVia } | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = BEARER.exec(header);
    return m ? { token: m[1], via: 'bearer' } : null;
  }
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie !== '' ? { token: cookie, via: 'cookie' } : null;
}

/**
 * The session token (Bearer header or cookie), checked by passport-jwt: HS256 only (`none`, RS/HS
 * switching and foreign `kid`/`jku` headers all fail), `exp`, `iss` and `aud` present and right. The
 * user must exist, not be disabled, and still have the token's version (a logout everywhere, a
 * password change or a disable bumps it). The role comes from the user as they are now.
 */
@Injectable()
export class JwtSessionStrategy extends PassportStrategy(Strategy, JWT_SESSION_STRATEGY) {
  private readonly verified = new VerifiedTokenCache();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(SESSION_USERS) private readonly users: SessionUsers,
  ) {
    super({
      jwtFromRequest: (req: Request) => sessionToken(req)?.token ?? null,
      // A KeyObject works with the JWT library, though the typings only list strings and buffers.
      secretOrKey: tokenKey(config) as unknown as Buffer,
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      jsonWebTokenOptions: { clockTolerance: TOKEN_LEEWAY_SECONDS },
      passReqToCallback: true,
    });
  }

  /**
   * A token verified before skips passport-jwt's HMAC and JSON work (measured on the edit path); the
   * user and its token version are still checked on every request.
   */
  override authenticate(req: Request, options?: object): void {
    const found = sessionToken(req);
    // No session token (an API token, say): nothing for passport-jwt to look at.
    if (!found) return this.fail(401);
    const known = this.verified.get(found.token, Date.now());
    if (!known) return super.authenticate(req, options);
    const who = this.signedIn(known, found.via);
    if (who) this.success(who);
    else this.fail(401);
  }

  /** Called by passport-jwt with the claims of a token whose signature and claims it checked. */
  validate(req: Request, claims: Record<string, unknown>): Authenticated | false {
    const found = sessionToken(req);
    const verified = verifiedClaims(claims, Date.now());
    if (!found || !verified) return false;
    this.verified.remember(found.token, verified);
    return this.signedIn(verified, found.via) ?? false;
  }

  private signedIn({ claims, expiresAtMs }: VerifiedToken, via: AuthVia): Authenticated | null {
    const user = this.users.user(claims.sub);
    if (!user || user.disabled || user.token_version !== claims.ver) return null;
    return {
      actor: { id: user.id, name: user.name, role: user.role },
      session: {
        user_id: user.id,
        token_version: user.token_version,
        role: user.role,
        expires_at_ms: expiresAtMs,
      },
      via,
    };
  }
}
