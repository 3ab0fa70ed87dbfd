import { createSecretKey, hkdfSync, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UserState } from '@crm/domain';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

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

/** A good token's claims and the moment it stops being good (expiry plus the allowed skew). */
export interface VerifiedToken {
  claims: TokenClaims;
  expiresAtMs: number;
}

/** How many verified tokens are remembered (a few per person; the oldest go first). */
const VERIFIED_CACHE_SIZE = 1000;

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
 * Signs and checks access tokens. Only HS256 is accepted (`none`, RS/HS switching and foreign `kid`/`jku`
 * headers all fail), and `exp`, `iss` and `aud` must be present and right.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;
  /**
   * Tokens whose signature and claims already checked out, by their exact text, with their expiry.
   * A browser sends the same token on every request; the HMAC and JSON work is done once, and the
   * expiry is still checked on every use. A token that differs in one byte is a miss.
   */
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAtMs: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (!config.secretKey)
      throw new Error('no secret key: createApp must resolve one before the module starts');
    // A KeyObject, not raw bytes: given bytes, the JWT library first tries (and fails) to parse them as
    // a public key on every call, which cost ~0.4 ms per request.
    this.jwt = new JwtService({
      secret: createSecretKey(jwtSigningKey(config.secretKey)) as unknown as Buffer,
    });
  }

  get ttlSeconds(): number {
    return this.config.tokenTtlMinutes * 60;
  }

  issue(user: Pick<UserState, 'id' | 'token_version'>): string {
    return this.jwt.sign({ ver: user.token_version } satisfies Omit<TokenClaims, 'sub'>, {
      algorithm: TOKEN_ALGORITHM,
      expiresIn: this.ttlSeconds,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      subject: user.id,
      jwtid: randomUUID(),
    });
  }

  /** The claims of a good token, or null for anything else (never throws). */
  verify(token: string): TokenClaims | null {
    return this.check(token)?.claims ?? null;
  }

  /** The claims and the end of a good token, or null for anything else (never throws). */
  check(token: string): VerifiedToken | null {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return known;
      this.verified.delete(token);
      return null;
    }
    const claims = this.verifySignature(token);
    if (!claims) return null;
    if (this.verified.size >= VERIFIED_CACHE_SIZE)
      this.verified.delete(this.verified.keys().next().value as string);
    const entry = {
      claims: claims.claims,
      expiresAtMs: (claims.exp + TOKEN_LEEWAY_SECONDS) * 1000,
    };
    this.verified.set(token, entry);
    return entry;
  }

  private verifySignature(token: string): { claims: TokenClaims; exp: number } | null {
    try {
      const claims = this.jwt.verify<Record<string, unknown>>(token, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        clockTolerance: TOKEN_LEEWAY_SECONDS,
      });
      if (
        typeof claims.exp !== 'number' ||
        typeof claims.sub !== 'string' ||
        !Number.isInteger(claims.ver)
      )
        return null;
      // The library checks exp and nbf but not iat: a token "issued" in the future was not issued by this clock.
      if (typeof claims.iat !== 'number' || claims.iat > Date.now() / 1000 + TOKEN_LEEWAY_SECONDS)
        return null;
      return { claims: { sub: claims.sub, ver: claims.ver as number }, exp: claims.exp };
    } catch {
      return null;
    }
  }
}
