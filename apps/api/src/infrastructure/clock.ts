import { randomBytes, randomUUID } from 'node:crypto';

export const CLOCK = Symbol('CLOCK');

/** Time and ids enter commands from here, never from inside the domain. */
export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `rec` + 14 base-62 characters (83 bits), like Airtable's ids. Rejection sampling keeps it uniform. */
export function newId(prefix: string, length = 14): string {
  let out = prefix;
  while (out.length < prefix.length + length) {
    for (const b of randomBytes(length)) {
      if (b < 248 && out.length < prefix.length + length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

export const newEventId = (): string => randomUUID();
