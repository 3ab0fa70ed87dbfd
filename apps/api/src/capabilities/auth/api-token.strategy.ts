import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { Strategy } from 'passport';
import { API_TOKEN_PREFIX, type ApiTokenRefusal, ApiTokenVerifier } from '../api-tokens/index';
import { type Authenticated } from './authed-request';

export const API_TOKEN_STRATEGY = 'api-token';

const BEARER_TOKEN = `Bearer ${API_TOKEN_PREFIX}`;

const REFUSALS: Record<ApiTokenRefusal, string> = {
  token_malformed: 'this API token is malformed; copy it again from the tokens page',
  token_unknown: 'this API token is not known; it may have been made on another server',
  token_expired: 'this API token has expired; make a new one',
  token_revoked: 'this API token was revoked; make a new one',
  token_owner_disabled: "this API token's owner is disabled",
};

/** True when the request carries an API token rather than a session. */
export const hasApiToken = (req: Request): boolean =>
  req.headers.authorization?.startsWith(BEARER_TOKEN) === true;

/**
 * The second strategy beside the session's: `Authorization: Bearer crm_…`. Unlike a session, a
 * refused API token says why (malformed, unknown, expired, revoked, owner disabled): the holder of
 * a token already knows it, and a script's owner needs to know what to fix. It acts as its owner,
 * with the owner's role as it is now, limited by its scope (the guard refuses writes to `read`).
 */
@Injectable()
export class ApiTokenStrategy extends Strategy {
  override readonly name = API_TOKEN_STRATEGY;

  constructor(private readonly verifier: ApiTokenVerifier) {
    super();
  }

  override authenticate(req: Request): void {
    if (!hasApiToken(req)) return this.fail(401);
    const check = this.verifier.check(req.headers.authorization!.slice(7), Date.now());
    if (!check.ok) {
      return this.error(
        new UnauthorizedException({
          message: REFUSALS[check.reason],
          reason: check.reason,
          details: { reason: check.reason },
        }),
      );
    }
    const { token, owner } = check;
    const who: Authenticated = {
      actor: {
        id: owner.id,
        name: owner.name,
        role: owner.role,
        token: { id: token.id, name: token.name },
      },
      session: {
        user_id: owner.id,
        token_version: owner.token_version,
        role: owner.role,
        expires_at_ms: token.expires_at_ms,
        still_valid: () => this.verifier.check(req.headers.authorization!.slice(7), Date.now()).ok,
      },
      via: 'bearer',
      scope: token.scope,
    };
    this.success(who);
  }
}
