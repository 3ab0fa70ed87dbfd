import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerRequest } from '@nestjs/throttler';
import type { Response } from 'express';
import { RateLimits } from '../../config/app-config';
import { RATE_LIMIT_KEY, RateLimitGroup } from './access.decorators';
import type { AuthedRequest } from './auth.guard';

const MINUTE_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The client's address as Express sees it: the socket's peer, or with CRM_TRUST_PROXY the address the
 * trusted proxies reported. A client's own X-Forwarded-For is ignored unless a proxy is trusted.
 */
const clientIp = (req: AuthedRequest): string => normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown', 64);

const emailOf = (req: AuthedRequest): string => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '';
};

/** The throttlers: which routes each covers is decided in RateLimitGuard.handleRequest. */
export function rateLimitOptions(limits: RateLimits): ThrottlerModuleOptions {
  return {
    setHeaders: false,
    errorMessage: 'too many requests; wait a minute and try again',
    throttlers: [
      // The account is the address tried, or the signed-in user changing their password.
      { name: 'login-account', ttl: MINUTE_MS, limit: limits.loginPerAccount, getTracker: (req) => `${clientIp(req as AuthedRequest)}|${emailOf(req as AuthedRequest) || (req as AuthedRequest).actor?.id}` },
      { name: 'login-ip', ttl: MINUTE_MS, limit: limits.loginPerIp, getTracker: (req) => clientIp(req as AuthedRequest) },
      { name: 'token', ttl: MINUTE_MS, limit: limits.tokenPerIp, getTracker: (req) => clientIp(req as AuthedRequest) },
      // Per address and person, so that a team behind one office address does not share one budget.
      // One budget across every write route (the default key would give each route its own).
      {
        name: 'write', ttl: MINUTE_MS, limit: limits.writesPerMinute,
        getTracker: (req) => `${clientIp(req as AuthedRequest)}|${(req as AuthedRequest).actor?.id ?? ''}`,
        generateKey: (_context, tracker, name) => createHash('sha256').update(`${name}|${tracker}`).digest('hex'),
      },
    ],
  };
}

function applies(throttler: string | undefined, group: RateLimitGroup | undefined, method: string): boolean {
  switch (throttler) {
    case 'login-account':
    case 'login-ip':
      return group === 'login';
    case 'token':
      return group === 'token';
    case 'write':
      return group === undefined && !SAFE_METHODS.has(method);
    default:
      return false;
  }
}

/**
 * @nestjs/throttler with named limits chosen by route (`@RateLimit`) and a plain `Retry-After` header on
 * 429. Runs after the auth guard, so that the write limit can count per signed-in user.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = props;
    const group = this.reflector.getAllAndOverride<RateLimitGroup | undefined>(RATE_LIMIT_KEY, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    if (!applies(throttler.name, group, req.method)) return true;
    return super.handleRequest(props);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    throw new ThrottlerException(await this.getErrorMessage(context, detail));
  }
}
