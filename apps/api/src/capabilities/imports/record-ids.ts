import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Ids in the format of `newId` (prefix + 14 base-62 characters, uniform by rejection sampling), drawn
 * from one random buffer at a time: an import of 100,000 rows needs 100,000 ids, and one call to
 * the random source per id showed up in its profile.
 */
export function idSource(prefix: string, length = 14): () => string {
  let pool = randomBytes(16_384);
  let pos = 0;
  return () => {
    let out = prefix;
    while (out.length < prefix.length + length) {
      if (pos === pool.length) {
        pool = randomBytes(16_384);
        pos = 0;
      }
      const b = pool[pos++];
      if (b < 248) out += ALPHABET[b % 62];
    }
    return out;
  };
}
