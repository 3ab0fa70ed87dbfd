import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtension } from '@nestjs/swagger';
import { type UserRole } from '@crm/events';

export const PUBLIC_KEY = 'access:public';
export const ROLES_KEY = 'access:roles';
export const RATE_LIMIT_KEY = 'access:rate-limit';

/**
 * Every route states who may call it: `@Public()` or `@Roles(...)`, on the handler or its controller.
 * A test walks every registered route and fails on one that states neither. At run time a route that
 * states nothing still needs a signed-in user (fail closed), but the test is what keeps it honest.
 */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * Signed-in users with one of these roles. `@Roles('member', 'admin')` is everyone signed in. The
 * API document says so too: the ways to sign in, and the roles (`x-roles`).
 */
export const Roles = (...roles: [UserRole, ...UserRole[]]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth('bearer'),
    ApiCookieAuth('session'),
    ApiExtension('x-roles', roles),
  );

/**
 * Which rate limit a route falls under besides the write limit: `login` (per IP and email, and per IP)
 * or `token` (invite and setup tokens, per IP). Routes without one are limited only as writes.
 */
export type RateLimitGroup = 'login' | 'token';
export const RateLimit = (group: RateLimitGroup) => SetMetadata(RATE_LIMIT_KEY, group);

/** A public route that spends a one-time token or a password: rate limited per client IP. */
export const PublicWithLimit = (group: RateLimitGroup) =>
  applyDecorators(Public(), RateLimit(group));
