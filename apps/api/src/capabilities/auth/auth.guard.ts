import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UserRole } from '@crm/events';
import type { Request } from 'express';
import { Actor } from '../../infrastructure/request-context/actor';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { CSRF_HEADER, CSRF_HEADER_VALUE, SESSION_COOKIE } from './session-cookie';
import { TokenService } from './token.service';
import { UsersRepository } from '../users';

/** The one answer to every failed token check: nothing says which check failed. */
export const UNAUTHORIZED_MESSAGE = 'sign in to continue';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a long-lived request (the live stream) re-checks while it stays open. */
export interface RequestSession {
  user_id: string;
  token_version: number;
  role: Actor['role'];
  expires_at_ms: number;
}

export type AuthedRequest = Request & {
  actor?: Actor;
  authVia?: 'bearer' | 'cookie';
  session?: RequestSession;
};

/**
 * The global guard. Public routes pass. Everything else needs a good token (Bearer header, or the
 * session cookie plus the CSRF header on writes) of a user who exists, is not disabled and whose token
 * version still matches; the role comes from the user as they are now, not from the token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UsersRepository,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const actor = this.authenticate(req);
    const roles = this.reflector.getAllAndOverride<UserRole[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role as UserRole))
      throw new ForbiddenException('your role does not allow this');
    return true;
  }

  private authenticate(req: AuthedRequest): Actor {
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header !== undefined) {
      const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header);
      if (!m) throw new UnauthorizedException(UNAUTHORIZED_MESSAGE);
      token = m[1];
      req.authVia = 'bearer';
    } else {
      const cookie = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
      if (typeof cookie !== 'string' || cookie === '')
        throw new UnauthorizedException(UNAUTHORIZED_MESSAGE);
      token = cookie;
      req.authVia = 'cookie';
    }
    const verified = this.tokens.check(token);
    const claims = verified?.claims;
    const user = claims ? this.users.user(claims.sub) : undefined;
    if (!claims || !user || user.disabled || user.token_version !== claims.ver)
      throw new UnauthorizedException(UNAUTHORIZED_MESSAGE);
    if (
      req.authVia === 'cookie' &&
      !SAFE_METHODS.has(req.method) &&
      req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE
    ) {
      throw new ForbiddenException(
        `requests signed in by cookie that change data must send the header X-Requested-With: ${CSRF_HEADER_VALUE}`,
      );
    }
    req.actor = { id: user.id, name: user.name, role: user.role };
    req.session = {
      user_id: user.id,
      token_version: user.token_version,
      role: user.role,
      expires_at_ms: verified!.expiresAtMs,
    };
    return req.actor;
  }
}
