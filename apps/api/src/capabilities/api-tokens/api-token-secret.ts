import { createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Every API token starts with this, so that the guard tells it from a session JWT at a glance. */
export const API_TOKEN_PREFIX = 'crm_';

/** `crm_` and 256 random bits in base64url. */
const FORMAT = /^crm_[A-Za-z0-9_-]{43}$/;

export const newApiTokenSecret = (): string =>
  `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

export const isApiTokenFormat = (token: string): boolean => FORMAT.test(token);

/**
 * The key of the tokens' hashes, derived from CRM_SECRET_KEY (HKDF-SHA256 with its own label, as
 * the JWT key is): a copy of the database without the secret key cannot even test a guess.
 */
export const apiTokenHashKey = (secret: string): Buffer =>
  Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'venture-crm', 'api-token-hmac-v1', 32),
  );

/**
 * HMAC-SHA256, not argon2: a token is 256 random bits, so no guess can be tested faster than the
 * key space allows and a slow hash would buy nothing; it would cost tens of milliseconds and memory
 * on every request a script makes. The keyed hash also lets the token be looked up by its hash.
 */
export const apiTokenHmac = (key: Buffer, token: string): string =>
  createHmac('sha256', key).update(token, 'utf8').digest('base64url');
