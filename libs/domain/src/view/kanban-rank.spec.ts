import { placeCard, rankBetween, sortByRank } from './kanban-rank';

describe('kanban rank keys', () => {
  it('given no neighbours, when ranking, then a key in the middle of the range', () => {
    expect(rankBetween(null, null)).toBe('i');
  });

  it('given two keys, when ranking between them, then the key sorts strictly between', () => {
    const cases: [string | null, string | null][] = [
      [null, '1'],
      ['1', '2'],
      ['a', 'a1'],
      ['z', null],
      ['zz', null],
      [null, '01'],
      ['i', 'i01'],
    ];
    for (const [a, b] of cases) {
      const k = rankBetween(a, b);
      if (a !== null) expect(k > a).toBe(true);
      if (b !== null) expect(k < b).toBe(true);
      expect(k.endsWith('0')).toBe(false);
    }
  });

  it('given many inserts at the same place, when ranking each time, then order holds and keys stay short', () => {
    let low: string | null = null;
    const high = 'i';
    const keys: string[] = [];
    for (let i = 0; i < 200; i++) {
      low = rankBetween(low, high);
      keys.push(low);
    }
    expect([...keys].sort()).toEqual(keys);
    let top: string | null = null;
    for (let i = 0; i < 500; i++) top = rankBetween(null, top);
    expect(top!.length).toBeLessThan(110);
  });

  it('given keys out of order, when ranking, then it is refused with a reason', () => {
    expect(() => rankBetween('b', 'a')).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => rankBetween('a0', null)).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('given a column with ranked and unranked cards, when a card moves, then only that card and unranked cards above get keys', () => {
    const ranks = { r1: 'a', r2: 'c' };
    const column = ['r1', 'r2', 'r3', 'r4'];
    expect(placeCard(column, ranks, 'x', 1)).toEqual({ x: rankBetween('a', 'c') });
    const below = placeCard(column, ranks, 'x', 3);
    expect(Object.keys(below).sort()).toEqual(['r3', 'x']);
    expect(below.r3 > 'c' && below.x > below.r3).toBe(true);
    expect(placeCard(column, ranks, 'x', 0).x < 'a').toBe(true);
    expect(placeCard([], {}, 'x', 5)).toEqual({ x: 'i' });
  });
});

describe('card order in a column', () => {
  it('given ranked and unranked cards, when sorting, then ranked come first by key and the rest keep their order', () => {
    expect(sortByRank(['u1', 'r2', 'u2', 'r1'], { r1: 'a', r2: 'b' })).toEqual([
      'r1',
      'r2',
      'u1',
      'u2',
    ]);
  });
});
