import { latestOccurrence, nextOccurrence, parseRule, type Schedule } from './schedule-rule';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);
const daily = (time: string, zone: string): Schedule => ({
  rule: parseRule(`every day at ${time}`),
  zone,
});

/** Every occurrence in [from, to), walking from one to the next. */
function occurrences(schedule: Schedule, from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = nextOccurrence(schedule, at(from) - 1); t < at(to); t = nextOccurrence(schedule, t))
    out.push(iso(t));
  return out;
}

describe('schedule rules', () => {
  describe('given "every day at 07:30" in Europe/Zurich', () => {
    const s = daily('07:30', 'Europe/Zurich');
    it('when it is 07:29 local, then the latest run was yesterday and the next is today', () => {
      expect(iso(latestOccurrence(s, at('2026-06-10T05:29:00Z')))).toBe('2026-06-09T05:30:00.000Z');
      expect(iso(nextOccurrence(s, at('2026-06-10T05:29:00Z')))).toBe('2026-06-10T05:30:00.000Z');
    });
    it('when it is 07:30 local exactly, then that is the latest occurrence', () => {
      expect(iso(latestOccurrence(s, at('2026-06-10T05:30:00Z')))).toBe('2026-06-10T05:30:00.000Z');
    });
    it('when winter time holds, then 07:30 is an hour later in UTC', () => {
      expect(iso(latestOccurrence(s, at('2026-01-10T12:00:00Z')))).toBe('2026-01-10T06:30:00.000Z');
    });
  });

  describe('given a spring-forward day (clocks jump from 02:00 to 03:00)', () => {
    it('when the rule says 02:30 in Europe/Zurich, then it runs once, at the shifted 03:30', () => {
      expect(
        occurrences(
          daily('02:30', 'Europe/Zurich'),
          '2026-03-28T00:00:00Z',
          '2026-03-31T00:00:00Z',
        ),
      ).toEqual([
        '2026-03-28T01:30:00.000Z', // 02:30 CET
        '2026-03-29T01:30:00.000Z', // 03:30 CEST: 02:30 does not exist that day
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
      ]);
    });
    it('when the rule says 02:30 in America/New_York, then it runs once, at 03:30 EDT', () => {
      expect(
        occurrences(
          daily('02:30', 'America/New_York'),
          '2026-03-07T00:00:00Z',
          '2026-03-10T00:00:00Z',
        ),
      ).toEqual([
        '2026-03-07T07:30:00.000Z',
        '2026-03-08T07:30:00.000Z',
        '2026-03-09T06:30:00.000Z',
      ]);
    });
  });

  describe('given a fall-back day (an hour happens twice)', () => {
    it('when the rule says 02:30 in Europe/Zurich, then it runs once, at the first 02:30', () => {
      expect(
        occurrences(
          daily('02:30', 'Europe/Zurich'),
          '2026-10-24T00:00:00Z',
          '2026-10-27T00:00:00Z',
        ),
      ).toEqual([
        '2026-10-24T00:30:00.000Z', // 02:30 CEST
        '2026-10-25T00:30:00.000Z', // the first 02:30 (CEST); the second (CET, 01:30Z) is not a run
        '2026-10-26T01:30:00.000Z', // 02:30 CET
      ]);
    });
    it('when the rule says 01:30 in America/New_York, then it runs once, at the first 01:30', () => {
      expect(
        occurrences(
          daily('01:30', 'America/New_York'),
          '2026-10-31T00:00:00Z',
          '2026-11-03T00:00:00Z',
        ),
      ).toEqual([
        '2026-10-31T05:30:00.000Z',
        '2026-11-01T05:30:00.000Z',
        '2026-11-02T06:30:00.000Z',
      ]);
    });
    it('when it is between the two 01:30s, then the latest occurrence is still the first', () => {
      const s = daily('01:30', 'America/New_York');
      expect(iso(latestOccurrence(s, at('2026-11-01T06:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
      expect(iso(nextOccurrence(s, at('2026-11-01T06:00:00Z')))).toBe('2026-11-02T06:30:00.000Z');
    });
  });

  describe('given "every 15 minutes"', () => {
    const s: Schedule = { rule: parseRule('every 15 minutes'), zone: 'Europe/Zurich' };
    it('when a fall-back hour passes, then it runs every 15 minutes of real time, none doubled', () => {
      const runs = occurrences(s, '2026-10-25T00:00:00Z', '2026-10-25T02:00:00Z');
      expect(runs).toHaveLength(8);
      expect(new Set(runs).size).toBe(8);
    });
    it('when it is 10:07, then the latest run was 10:00 and the next is 10:15', () => {
      expect(iso(latestOccurrence(s, at('2026-06-10T10:07:00Z')))).toBe('2026-06-10T10:00:00.000Z');
      expect(iso(nextOccurrence(s, at('2026-06-10T10:07:00Z')))).toBe('2026-06-10T10:15:00.000Z');
    });
  });

  describe('given "every week on Monday at 08:00" in Europe/Zurich', () => {
    const s: Schedule = { rule: parseRule('every week on Monday at 08:00'), zone: 'Europe/Zurich' };
    it('when it is a Wednesday, then the latest run was Monday and the next is next Monday', () => {
      expect(iso(latestOccurrence(s, at('2026-06-10T12:00:00Z')))).toBe('2026-06-08T06:00:00.000Z');
      expect(iso(nextOccurrence(s, at('2026-06-10T12:00:00Z')))).toBe('2026-06-15T06:00:00.000Z');
    });
    it('when a DST change falls in the week, then it still runs at 08:00 local', () => {
      expect(occurrences(s, '2026-03-20T00:00:00Z', '2026-04-04T00:00:00Z')).toEqual([
        '2026-03-23T07:00:00.000Z',
        '2026-03-30T06:00:00.000Z',
      ]);
    });
  });

  describe('given a rule that is not one', () => {
    it.each([
      ['every day at 25:00', 'not a time of day'],
      ['every 7 minutes', 'must divide a day'],
      ['every week on Funday at 08:00', 'not a weekday'],
      ['at noon', 'not a schedule'],
    ])('when it is "%s", then parsing names the problem', (text, problem) => {
      expect(() => parseRule(text)).toThrow(problem);
    });
  });
});
