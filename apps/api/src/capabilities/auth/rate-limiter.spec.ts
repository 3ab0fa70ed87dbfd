import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  let now = 1_000_000;
  const limiter = () => new RateLimiter(() => now);
  const hits = (l: RateLimiter, key: string, n: number, limit = 5) =>
    Array.from({ length: n }, () => l.hit(key, limit, 60_000).allowed);
  beforeEach(() => (now = 1_000_000));

  it('allows the limit, then blocks for a whole minute with Retry-After, then starts afresh', () => {
    const l = limiter();
    expect(hits(l, 'k', 7)).toEqual([true, true, true, true, true, false, false]);
    now += 30_000;
    expect(l.hit('k', 5, 60_000)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(hits(l, 'k', 6)).toEqual([true, true, true, true, true, false]);
  });

  it('keeps each key apart', () => {
    const l = limiter();
    expect(hits(l, 'a', 6)).toEqual([true, true, true, true, true, false]);
    expect(hits(l, 'b', 1)).toEqual([true]);
  });

  it('slides: a burst at the end of one minute still counts at the start of the next', () => {
    const l = limiter();
    now += 59_000;
    expect(hits(l, 'k', 5)).toEqual([true, true, true, true, true]);
    now += 2_000; // a new window has begun, but almost all of the burst is within the last minute
    expect(l.hit('k', 5, 60_000).allowed).toBe(false);
  });

  it('lets the old window fade in proportion to time', () => {
    const l = limiter();
    expect(hits(l, 'k', 4, 4)).toEqual([true, true, true, true]);
    now += 60_000 + 45_000; // 3/4 of the next window gone: the old 4 weigh 1
    expect(hits(l, 'k', 4, 4)).toEqual([true, true, true, false]);
  });

  it('forgets idle keys', () => {
    const l = limiter();
    for (let i = 0; i < 100; i++) l.hit(`k${i}`, 5, 60_000);
    now += 180_000;
    l.hit('fresh', 5, 60_000);
    expect((l as unknown as { counters: Map<string, unknown> }).counters.size).toBe(1);
  });
});
