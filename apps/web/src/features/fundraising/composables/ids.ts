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

/** Record ids are chosen here, so a create retried after a lost answer is the same create. */
export const newRecordId = (): string => `rec${randomChars(14)}`;

export const newIdempotencyKey = (): string => `grid-${randomChars(22)}`;
