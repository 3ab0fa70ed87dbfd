/**
 * Counts hits per key over a sliding minute in constant time and memory per key: the previous
 * window's count, weighted by how much of it still overlaps the last `windowMs`, plus the current
 * window's count. Past the limit, the key is blocked for one whole window (no trickle of retries),
 * then starts afresh.
 */
export interface RateLimitHit {
  allowed: boolean;
  /** Seconds until a blocked key may try again (0 when allowed). */
  retryAfterSeconds: number;
}

interface Counter {
  windowStart: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

export class RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  hit(key: string, limit: number, windowMs: number): RateLimitHit {
    const now = this.now();
    this.sweep(now, windowMs);
    let c = this.counters.get(key) ?? {
      windowStart: now,
      current: 0,
      previous: 0,
      blockedUntil: 0,
    };
    if (c.blockedUntil > now)
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((c.blockedUntil - now) / 1000)),
      };
    if (c.blockedUntil !== 0) c = { windowStart: now, current: 0, previous: 0, blockedUntil: 0 }; // a served block starts afresh
    this.counters.set(key, c);
    const elapsedWindows = Math.floor((now - c.windowStart) / windowMs);
    if (elapsedWindows >= 1) {
      c.previous = elapsedWindows === 1 ? c.current : 0;
      c.current = 0;
      c.windowStart += elapsedWindows * windowMs;
    }
    const overlap = 1 - (now - c.windowStart) / windowMs;
    const estimate = c.previous * overlap + c.current + 1;
    if (estimate > limit) {
      c.blockedUntil = now + windowMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(windowMs / 1000)) };
    }
    c.current++;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Forgets keys idle for two windows, at most once a window, so the map does not grow forever. */
  private sweep(now: number, windowMs: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + windowMs;
    for (const [key, c] of this.counters) {
      if (c.blockedUntil <= now && now - c.windowStart >= 2 * windowMs) this.counters.delete(key);
    }
  }
}
