import { createSecretKey, hkdfSync, type KeyObject, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { type UserState } from '@crm/domain';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { type VerifiedToken } from './verified-token-cache';

export const TOKEN_ISSUER = 'venture-crm';
export const TOKEN_AUDIENCE = 'venture-crm-api';
export const TOKEN_ALGORITHM = 'HS256';
/** Clock skew a token's exp, nbf and iat may have, in seconds (at most 60). */
export const TOKEN_LEEWAY_SECONDS = 30;

export interface TokenClaims {
  sub: string;
  /** The user's token version when the token was issued; any later bump ends it. */
  ver: number;
}

/**
 * The JWT key is derived from CRM_SECRET_KEY (HKDF-SHA256 with its own label), so the same secret can
 * key other things later without one use weakening another.
 */
export function jwtSigningKey(secret: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'venture-crm', 'jwt-hs256-v1', 32),
  );
}

/**
 * The key as a KeyObject, not raw bytes: given bytes, the JWT library first tries (and fails) to
 * parse them as a public key on every call, which cost ~0.4 ms per request.
 */
export function tokenKey(config: AppConfig): KeyObject {
  if (!config.secretKey)
    throw new Error('no secret key: createApp must resolve one before the module starts');
  return createSecretKey(jwtSigningKey(config.secretKey));
}

/**
 * The checks the JWT library leaves to us, on claims whose signature, algorithm, issuer, audience,
 * exp and nbf it already checked: the claims we need are there and well typed, and the token was
 * not "issued" in the future (the library checks exp and nbf but not iat).
 */
export function verifiedClaims(
  claims: Record<string, unknown>,
  nowMs: number,
): VerifiedToken | null {
  const { sub, ver, exp, iat } = claims;
  if (typeof exp !== 'number' || typeof sub !== 'string' || !Number.isInteger(ver)) return null;
  if (typeof iat !== 'number' || iat > nowMs / 1000 + TOKEN_LEEWAY_SECONDS) return null;
  return { claims: { sub, ver: ver as number }, expiresAtMs: (exp + TOKEN_LEEWAY_SECONDS) * 1000 };
}

/** Signs access tokens: HS256, with `exp`, `iss`, `aud`, `sub` and a unique `jti`. */
@Injectable()
export class TokenService {
  private readonly key: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = tokenKey(config);
  }

  get ttlSeconds(): number {
    return this.config.tokenTtlMinutes * 60;
  }

  issue(user: Pick<UserState, 'id' | 'token_version'>): string {
    return sign({ ver: user.token_version } satisfies Omit<TokenClaims, 'sub'>, this.key, {
      algorithm: TOKEN_ALGORITHM,
      expiresIn: this.ttlSeconds,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      subject: user.id,
      jwtid: randomUUID(),
    });
  }
}
