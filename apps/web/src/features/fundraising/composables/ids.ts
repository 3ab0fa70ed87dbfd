import { orderedIdGenerator } from '@crm/domain';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniform base-62 characters from the browser's CSPRNG (rejection sampling, like the server's ids). */
function randomChars(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of crypto.getRandomValues(new Uint8Array(n * 2))) {
      if (b < 248 && out.length < n) out += ALPHABET[b % 62];
    }
  }
  return out;
}

const randomByte = (): number => crypto.getRandomValues(new Uint8Array(1))[0];
const orderedId = orderedIdGenerator(Date.now, randomByte);

/**
 * Record ids are chosen here, so a create retried after a lost answer is the same create. They sort
 * in creation order like the server's (see orderedIdGenerator).
 */
export const newRecordId = (): string => orderedId('rec');

export const newIdempotencyKey = (): string => `grid-${randomChars(22)}`;
