import { localDate, periodFromQuery, periodRange, periodToQuery } from './period';

describe('the conversion period in the address', () => {
  it('reads the default, a preset and custom dates; anything unreadable is the default', () => {
    expect(periodFromQuery({})).toEqual({ preset: 'last90', from: '', to: '' });
    expect(periodFromQuery({ period: 'quarter' })).toEqual({ preset: 'quarter', from: '', to: '' });
    expect(periodFromQuery({ period: 'custom', from: '2026-01-01', to: '2026-03-31' })).toEqual({
      preset: 'custom',
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(periodFromQuery({ period: 'custom', from: 'yesterday', to: ['x'] })).toEqual({
      preset: 'custom',
      from: '',
      to: '',
    });
    expect(periodFromQuery({ period: 'decade' }).preset).toBe('last90');
  });

  it('writes back what it reads, with the default and a preset’s dates left out', () => {
    for (const query of [
      { period: 'last30' },
      { period: 'year' },
      { period: 'custom', from: '2026-01-01', to: '2026-03-31' },
    ])
      expect(JSON.parse(JSON.stringify(periodToQuery(periodFromQuery(query))))).toEqual(query);
    expect(periodToQuery({ preset: 'last90', from: '2026-01-01', to: '' })).toEqual({
      period: undefined,
      from: undefined,
      to: undefined,
    });
  });

  it('gives the API the start of each preset, counted back from the moment read', () => {
    const ref = new Date(2026, 7, 20, 15, 0);
    expect(periodRange({ preset: 'last90', from: '', to: '' }, ref)).toEqual({});
    expect(periodRange({ preset: 'last30', from: '', to: '' }, ref)).toEqual({
      from: new Date(ref.getTime() - 30 * 86_400_000).toISOString(),
    });
    expect(periodRange({ preset: 'quarter', from: '', to: '' }, ref)).toEqual({
      from: new Date(2026, 6, 1).toISOString(),
    });
    expect(periodRange({ preset: 'year', from: '', to: '' }, ref)).toEqual({
      from: new Date(2026, 0, 1).toISOString(),
    });
    const custom = periodRange({ preset: 'custom', from: '2026-01-01', to: '2026-03-31' }, ref);
    expect([localDate(custom.from!), localDate(custom.to!)]).toEqual(['2026-01-01', '2026-03-31']);
    expect(new Date(custom.to!).getHours()).toBe(23);
  });
});
