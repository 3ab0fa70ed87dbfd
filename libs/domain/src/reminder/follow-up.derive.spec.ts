import {
  DEFAULT_FOLLOW_UP_SETTINGS,
  effectiveStatus,
  localDate,
  reminderStatusOn,
  stalenessCutoffs,
  stalenessOn,
} from './follow-up.derive';

const paris = { ...DEFAULT_FOLLOW_UP_SETTINGS, time_zone: 'Europe/Paris' };

describe('staleness, as the clock moves', () => {
  it('given a call on 1 March, then it is fresh for 29 days, aging from day 30 and stale from day 60', () => {
    const s = DEFAULT_FOLLOW_UP_SETTINGS;
    expect(stalenessOn('2026-03-01', '2026-03-30', s)).toBe('');
    expect(stalenessOn('2026-03-01', '2026-03-31', s)).toBe('aging');
    expect(stalenessOn('2026-03-01', '2026-04-29', s)).toBe('aging');
    expect(stalenessOn('2026-03-01', '2026-04-30', s)).toBe('stale');
    expect(stalenessOn(null, '2027-01-01', s)).toBe('');
  });

  it("counts calendar days in the fund's zone across the spring DST change (a 23-hour day)", () => {
    // 23:30 in Paris on 28 February is 22:30 UTC: the call is on the 28th there.
    const on = localDate('2026-02-28T22:30:00Z', paris);
    expect(on).toBe('2026-02-28');
    // Thirty days later, across 29 March (clocks go forward): aging at Paris midnight, not an hour off.
    const before = localDate('2026-03-29T21:59:00Z', paris); // 23:59 on the 29th in Paris (UTC+2)
    const after = localDate('2026-03-29T22:00:00Z', paris); // 00:00 on the 30th
    expect([before, after]).toEqual(['2026-03-29', '2026-03-30']);
    expect(stalenessOn(on, before, paris)).toBe('');
    expect(stalenessOn(on, after, paris)).toBe('aging');
  });

  it('uses the thresholds of the settings', () => {
    const s = { ...DEFAULT_FOLLOW_UP_SETTINGS, aging_days: 7, stale_days: 14 };
    expect(stalenessOn('2026-03-01', '2026-03-08', s)).toBe('aging');
    expect(stalenessOn('2026-03-01', '2026-03-15', s)).toBe('stale');
  });
});

describe('reminder status', () => {
  const today = '2026-03-10';
  it('is the most pressing of the open reminders', () => {
    expect(reminderStatusOn([], today)).toBe('none');
    expect(reminderStatusOn(['2026-04-01'], today)).toBe('open');
    expect(reminderStatusOn(['2026-04-01', '2026-03-17'], today)).toBe('due_soon');
    expect(reminderStatusOn(['2026-03-10'], today)).toBe('due_soon');
    expect(reminderStatusOn(['2026-04-01', '2026-03-09'], today)).toBe('overdue');
  });

  it('a snoozed reminder opens again on its date', () => {
    const r = { status: 'snoozed', snoozed_until: '2026-03-11' };
    expect(effectiveStatus(r, today)).toBe('snoozed');
    expect(effectiveStatus(r, '2026-03-11')).toBe('open');
  });
});

describe('staleness cutoffs (what a query compares the last contact with)', () => {
  it('agree with stalenessOn on each side of the boundary, in a zone with DST', () => {
    const today = '2026-03-30';
    const { aging_before, stale_before } = stalenessCutoffs(today, paris);
    // Aging from the call's day + 30: a call on 28 Feb (Paris) is aging on 30 March, one on 1 March not yet.
    expect(aging_before).toBe('2026-02-28T23:00:00.000Z');
    for (const at of ['2026-02-28T22:59:59.000Z', '2026-02-28T23:00:00.000Z']) {
      const byDate = stalenessOn(localDate(at, paris), today, paris);
      expect(byDate === 'aging').toBe(at < aging_before);
    }
    expect(stale_before < aging_before).toBe(true);
  });
});
