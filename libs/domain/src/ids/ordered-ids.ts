const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 8; // 62^8 ms reaches the year 8800
const SEQUENCE_CHARS = 6;
const SEQUENCE_SPACE = 62 ** SEQUENCE_CHARS; // ~5.7e10
/** A millisecond's sequence starts at a random point in the lower half, so it can count on for billions. */
const SEQUENCE_START_SPACE = Math.floor(SEQUENCE_SPACE / 2);

function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/**
 * Ids like Airtable's (`rec` + 14 base-62 characters) whose characters sort in creation order:
 * 8 for the millisecond, 6 for a sequence that starts at a random point each millisecond and counts
 * up within it. New rows then land at the right edge of every index keyed by id (the records' keys,
 * the events' stream index) instead of on random pages: on a base of a million rows an insert with
 * random keys cost about three times as much. Ids are names, not secrets (tokens are separate), so
 * 35 random bits per millisecond are plenty to keep two processes from colliding.
 *
 * Pure: the caller gives the clock and the random bytes. Ids from one generator strictly increase,
 * even if the clock steps back.
 */
export function orderedIdGenerator(
  clockMs: () => number,
  randomByte: () => number,
): (prefix: string) => string {
  let lastMs = -1;
  let sequence = 0;
  const randomStart = () => {
    let n = 0;
    for (let i = 0; i < 5; i++) n = n * 256 + randomByte();
    return n % SEQUENCE_START_SPACE;
  };
  return (prefix) => {
    const ms = Math.max(clockMs(), lastMs);
    if (ms !== lastMs) {
      lastMs = ms;
      sequence = randomStart();
    } else if (++sequence >= SEQUENCE_SPACE) {
      lastMs = ms + 1; // a billion ids in one millisecond: borrow the next one
      sequence = randomStart();
    }
    return prefix + base62(lastMs, TIME_CHARS) + base62(sequence, SEQUENCE_CHARS);
  };
}
