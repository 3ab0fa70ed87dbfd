import type { CookieOptions, Response } from 'express';
import { type AppConfig } from '../../config/app-config';

/** The web app's session: the same JWT as the Bearer token, in a cookie scripts cannot read. */
export const SESSION_COOKIE = 'crm_session';

/**
 * Cookie-authenticated requests that change data must carry this header with this value. A page on
 * another site cannot add a custom header without a CORS preflight, which unlisted origins fail.
 */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'XMLHttpRequest';

function options(config: AppConfig): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.env === 'production' || (config.publicUrl?.startsWith('https:') ?? false),
    path: '/api',
  };
}

export function setSessionCookie(res: Response, config: AppConfig, token: string): void {
  res.cookie(SESSION_COOKIE, token, {
    ...options(config),
    maxAge: config.tokenTtlMinutes * 60_000,
  });
}

export function clearSessionCookie(res: Response, config: AppConfig): void {
  res.clearCookie(SESSION_COOKIE, options(config));
}
