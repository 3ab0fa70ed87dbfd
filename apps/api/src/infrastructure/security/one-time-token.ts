import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: invite and setup links. Only a SHA-256 of it is stored. */
export const newOneTimeToken = (): string => randomBytes(32).toString('base64url');

/** A token of that shape: 43 base64url characters. Anything else is refused before any look-up. */
export const ONE_TIME_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const sha256Hex = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');
