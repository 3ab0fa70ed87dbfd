import { orderedIdGenerator } from './ordered-ids';

describe('orderedIdGenerator', () => {
  const bytes = (seed: number) => () => (
    (seed = (seed * 1103515245 + 12345) % 2147483648),
    seed % 256
  );

  it('gives prefix + 14 base-62 characters that sort in creation order, across milliseconds', () => {
    let ms = 1_764_000_000_000;
    const next = orderedIdGenerator(() => ms, bytes(1));
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 700 === 0) ms += 1 + (i % 3);
      ids.push(next('rec'));
    }
    for (const id of ids) expect(id).toMatch(/^rec[0-9A-Za-z]{14}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Byte order (SQLite's BINARY collation), not locale order.
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
  });

  it('keeps increasing when the clock steps back', () => {
    let ms = 1_764_000_000_500;
    const next = orderedIdGenerator(() => ms, bytes(2));
    const a = next('rec');
    ms -= 3_600_000;
    const b = next('rec');
    expect(b > a).toBe(true);
  });

  it('starts each millisecond at a different random point, so two generators rarely meet', () => {
    const ms = 1_764_000_000_000;
    const a = orderedIdGenerator(() => ms, bytes(3));
    const b = orderedIdGenerator(() => ms, bytes(4));
    const fromA = new Set(Array.from({ length: 1000 }, () => a('rec')));
    expect(Array.from({ length: 1000 }, () => b('rec')).filter((id) => fromA.has(id))).toEqual([]);
  });

  it('encodes the time in the first eight characters', () => {
    const next = orderedIdGenerator(() => 0, bytes(5));
    expect(next('x').slice(1, 9)).toBe('00000000');
    const later = orderedIdGenerator(() => 62, bytes(5));
    expect(later('x').slice(1, 9)).toBe('00000010');
  });
});
