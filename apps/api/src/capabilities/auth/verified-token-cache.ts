import type { TokenClaims } from './token.service';

/** A good token's claims and the moment it stops being good (expiry plus the allowed skew). */
export interface VerifiedToken {
  claims: TokenClaims;
  expiresAtMs: number;
}

/** How many verified tokens are remembered (a few per person; the oldest go first). */
const VERIFIED_CACHE_SIZE = 1000;

/**
 * Tokens whose signature and claims already checked out, by their exact text, with their expiry.
 * A browser sends the same token on every request; the HMAC and JSON work is done once, and the
 * expiry is still checked on every use. A token that differs in one byte is a miss.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  /** The remembered token if it is still good; an expired one is forgotten. */
  get(token: string, nowMs: number): VerifiedToken | undefined {
    const known = this.entries.get(token);
    if (!known || nowMs < known.expiresAtMs) return known;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, verified: VerifiedToken): void {
    if (this.entries.size >= VERIFIED_CACHE_SIZE)
      this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, verified);
  }
}
