import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type UserRole } from '@crm/events';
import type { Response } from 'express';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { type AuthedRequest } from './authed-request';
import { API_TOKEN_STRATEGY, ApiTokenStrategy, hasApiToken } from './api-token.strategy';
import { JwtSessionStrategy } from './jwt-session.strategy';
import { PassportAuthenticate } from './passport-authenticate';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard. Public routes pass. Everything else needs a request that one of the strategies
 * accepts (the session token, as a Bearer header or the session cookie; or an API token), plus the
 * CSRF header on cookie-signed writes, a role the route allows, and for a `read` API token a safe
 * method. A request pays for the one strategy its credential is for.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly strategies: PassportAuthenticate;

  constructor(
    private readonly reflector: Reflector,
    jwtSession: JwtSessionStrategy,
    apiToken: ApiTokenStrategy,
  ) {
    this.strategies = new PassportAuthenticate([jwtSession, apiToken]);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<AuthedRequest>();
    // An API token goes straight to its strategy; the rest try the session's first.
    const only = hasApiToken(req) ? API_TOKEN_STRATEGY : undefined;
    const who = await this.strategies.run(req, http.getResponse<Response>(), only);
    if (
      who.via === 'cookie' &&
      !SAFE_METHODS.has(req.method) &&
      req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE
    ) {
      throw new ForbiddenException(
        `requests signed in by cookie that change data must send the header X-Requested-With: ${CSRF_HEADER_VALUE}`,
      );
    }
    if (who.scope === 'read' && !SAFE_METHODS.has(req.method)) {
      throw new ForbiddenException({
        message: 'this API token may only read; make a token with the write scope to change data',
        reason: 'token_read_only',
        details: { reason: 'token_read_only', scope: 'read' },
      });
    }
    req.actor = who.actor;
    req.session = who.session;
    req.authVia = who.via;
    const roles = this.reflector.getAllAndOverride<UserRole[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(who.actor.role as UserRole))
      throw new ForbiddenException('your role does not allow this');
    return true;
  }
}
