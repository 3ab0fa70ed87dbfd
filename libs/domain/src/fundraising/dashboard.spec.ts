import {
  type DashboardRows,
  fundFigures,
  funnelFigures,
  readerWeek,
  type StageEntry,
  stalenessBuckets,
} from './dashboard';

const rows = (over: Partial<DashboardRows> = {}): DashboardRows => ({
  funds: [],
  commitments: [],
  lps: [],
  investors_by_stage: [],
  contacted: [],
  stages: ['Lead', 'Engaged', 'Committed'],
  statuses: ['Soft', 'Signed', 'Withdrawn'],
  ...over,
});

describe('dashboard figures', () => {
  it('given a withdrawn commitment, counts it apart', () => {
    const figures = fundFigures(
      rows({
        funds: [{ id: 'f', name: 'Fund I', target_size: 1000, currency: 'EUR' }],
        commitments: [
          { fund_id: 'f', status: 'Soft', date: null, amount: 100, count: 1 },
          { fund_id: 'f', status: 'Withdrawn', date: null, amount: 50, count: 1 },
        ],
        lps: [{ fund_id: 'f', count: 1 }],
      }),
    );
    expect(figures).toEqual([
      {
        fund_id: 'f',
        name: 'Fund I',
        currency: 'EUR',
        target: 1000,
        committed_by_status: [
          { status: 'Soft', amount: 100, count: 1 },
          { status: 'Signed', amount: 0, count: 0 },
        ],
        committed: 100,
        withdrawn: 50,
        percent_of_target: 10,
        lp_count: 1,
      },
    ]);
  });

  it('given stage entries, converts those that entered a stage in the period and later reached a further one', () => {
    const at = (d: number) => `2026-01-${String(d).padStart(2, '0')}T00:00:00.000Z`;
    const { conversion } = funnelFigures(
      rows(),
      [
        { record_id: 'a', stage: 'Lead', at: at(1) },
        { record_id: 'b', stage: 'Lead', at: at(5) },
        { record_id: 'c', stage: 'Lead', at: at(6) },
        { record_id: 'b', stage: 'Committed', at: at(7) },
        { record_id: 'c', stage: 'Engaged', at: at(20) },
      ],
      { from: at(2), to: at(10) },
    );
    // a entered Lead before the period; c reached Engaged after it ended, which still counts.
    expect(conversion).toEqual([
      { from: 'Lead', to: 'Engaged', entered: 2, reached: 2, rate: 1 },
      { from: 'Engaged', to: 'Committed', entered: 0, reached: 0, rate: null },
    ]);
  });

  it('given many random histories, in any form of timestamp, converts as a stage-by-stage count does', () => {
    // The count as the definition reads: for each stage, who entered it in the period, and of
    // them who later entered a stage past it. Slow, and plainly right.
    const byDefinition = (
      stages: string[],
      entries: StageEntry[],
      period: { from: string; to: string },
    ) =>
      stages.slice(0, -1).map((a, i) => {
        const entered = new Map<string, number>();
        for (const e of entries) {
          const t = Date.parse(e.at);
          const inside = t >= Date.parse(period.from) && t <= Date.parse(period.to);
          if (e.stage === a && inside && !entered.has(e.record_id)) entered.set(e.record_id, t);
        }
        const reached = new Set<string>();
        for (const e of entries) {
          const since = entered.get(e.record_id);
          if (since !== undefined && Date.parse(e.at) >= since && stages.indexOf(e.stage) > i)
            reached.add(e.record_id);
        }
        return { entered: entered.size, reached: reached.size };
      });
    let seed = 7;
    const next = (n: number) => (((seed = (seed * 48271) % 2147483647) % n) + n) % n;
    // The log's own form, and forms a caller may give: no milliseconds, an offset.
    const forms = [
      (ms: number) => new Date(ms).toISOString(),
      (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z'),
      (ms: number) => new Date(ms + 3_600_000).toISOString().replace('.000Z', '+01:00'),
    ];
    const stages = ['Lead', 'Engaged', 'Diligence', 'Committed'];
    for (let round = 0; round < 200; round++) {
      const base = Date.UTC(2026, 0, 1);
      const entries: StageEntry[] = [];
      // In log order: the times only go forward.
      let t = base;
      for (let n = 0; n < 30; n++) {
        t += next(3) * 3_600_000 * 24;
        const stage = next(6) === 0 ? 'Passed' : stages[next(stages.length)];
        entries.push({ record_id: `r${next(8)}`, stage, at: forms[round % 3](t) });
      }
      const from = base + next(20) * 86_400_000;
      const period = {
        from: forms[(round >> 1) % 3](from),
        to: forms[(round >> 2) % 3](from + next(60) * 86_400_000),
      };
      const { conversion } = funnelFigures(rows({ stages }), entries, period);
      expect(conversion.map((c) => ({ entered: c.entered, reached: c.reached }))).toEqual(
        byDefinition(stages, entries, period),
      );
    }
  });

  it('given last-contacted dates, sorts investors into 30 days or less, 31–60, more than 60 and never', () => {
    const now = Date.parse('2026-03-31T12:00:00Z');
    const day = (d: string | null, count = 1) => ({ day: d, count });
    const buckets = stalenessBuckets(
      rows({
        contacted: [
          day('2026-03-01'),
          day('2026-02-28'),
          day('2026-01-30'),
          day('2026-01-29'),
          day(null),
        ],
      }),
      now,
    );
    expect(buckets.map((b) => [b.key, b.count])).toEqual([
      ['recent', 1],
      ['aging', 2],
      ['stale', 1],
      ['never', 1],
    ]);
  });

  it("given a reader's zone, counts days since a contact from their today, not UTC's", () => {
    // 23:30 on 31 March in New York is already 1 April in UTC.
    const now = Date.parse('2026-04-01T03:30:00Z');
    const rowsOf = rows({ contacted: [{ day: '2026-03-01', count: 1 }] });
    const count = (tz?: string) => stalenessBuckets(rowsOf, now, tz).map((b) => b.count);
    expect(count('America/New_York')).toEqual([1, 0, 0, 0]);
    expect(count()).toEqual([0, 1, 0, 0]);
  });

  it("given a reader's zone, the week of reminders runs from their Monday's midnight to the next", () => {
    // Sunday 22:30 in UTC is already Monday 7 December in Zurich, still Sunday in New York.
    const now = Date.parse('2026-12-06T23:30:00Z');
    expect(readerWeek(now, 'Europe/Zurich')).toEqual({
      from: '2026-12-06T23:00:00.000Z',
      to: '2026-12-13T23:00:00.000Z',
      days: { from: '2026-12-07', to: '2026-12-14' },
    });
    expect(readerWeek(now, 'America/New_York')).toEqual({
      from: '2026-11-30T05:00:00.000Z',
      to: '2026-12-07T05:00:00.000Z',
      days: { from: '2026-11-30', to: '2026-12-07' },
    });
    expect(readerWeek(now).days).toEqual({ from: '2026-11-30', to: '2026-12-07' });
    // A week across the change to summer time starts at each Monday's own midnight.
    expect(readerWeek(Date.parse('2026-03-25T12:00:00Z'), 'Europe/Zurich')).toMatchObject({
      from: '2026-03-22T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
    });
  });
});
