import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp, ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { RATE_LIMIT_KEY, RateLimitGroup } from './access.decorators';
import type { AuthedRequest } from './authed-request';
import { RateLimiter } from './rate-limiter';

const MINUTE_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const RATE_LIMIT_MESSAGE = 'too many requests; wait a minute and try again';

/**
 * The client's address as Express sees it: the socket's peer, or with CRM_TRUST_PROXY the address the
 * trusted proxies reported. A client's own X-Forwarded-For is ignored unless a proxy is trusted.
 */
const clientIp = (req: AuthedRequest): string =>
  normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown', 64);

const emailOf = (req: AuthedRequest): string => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '';
};

/**
 * The rate limits, chosen by route (`@RateLimit`), each a sliding minute:
 * - `login` routes: per client IP and account (the address tried, or the signed-in user changing
 *   their password), and per client IP whatever the account (password spraying); per route.
 * - `token` routes (invites, setup): per client IP, per route.
 * - every other write (POST, PUT, PATCH, DELETE): one budget per client IP and signed-in user across
 *   all write routes, so that a team behind one office address does not share one budget. Reads are
 *   never limited.
 * Runs after the auth guard, so that the write limit can count per signed-in user. A refused request
 * gets 429 with a plain `Retry-After`.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter = new RateLimiter();

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const group = this.reflector.getAllAndOverride<RateLimitGroup | undefined>(RATE_LIMIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const limits = this.config.rateLimits;
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    const ip = clientIp(req);
    if (group === 'login') {
      this.take(
        context,
        `login-account|${route}|${ip}|${emailOf(req) || req.actor?.id}`,
        limits.loginPerAccount,
      );
      this.take(context, `login-ip|${route}|${ip}`, limits.loginPerIp);
    } else if (group === 'token') {
      this.take(context, `token|${route}|${ip}`, limits.tokenPerIp);
    } else if (!SAFE_METHODS.has(req.method)) {
      this.take(context, `write|${ip}|${req.actor?.id ?? ''}`, limits.writesPerMinute);
    }
    return true;
  }

  private take(context: ExecutionContext, key: string, limit: number): void {
    const hit = this.limiter.hit(key, limit, MINUTE_MS);
    if (hit.allowed) return;
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(hit.retryAfterSeconds));
    throw new ThrottlerException(RATE_LIMIT_MESSAGE);
  }
}
