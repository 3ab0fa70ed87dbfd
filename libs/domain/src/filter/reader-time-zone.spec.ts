import { type FieldDefinition } from '@crm/events';
import { domainErrorOf } from '../testing/domain-error-of';
import { applyView } from './apply-view';
import { readerTimeZone } from './reader-time-zone';
import { recordAccess, type ViewEvalContext, type ViewRecord } from './view-rows';

const f = (id: string, type: string): FieldDefinition => ({
  id,
  name: id,
  type,
  options: {},
  role: null,
});
const FIELDS = [f('name', 'text'), f('next', 'date'), f('created', 'created_time')];
const row = (id: string, next: string, created_at: string): ViewRecord => ({
  id,
  values: { name: id, next },
  created_at,
});
const where = (field_id: string, operator: string, value: unknown) => ({
  filters: { conjunction: 'and', conditions: [{ field_id, operator, value }] },
});
const shown = (rows: ViewRecord[], config: object, ctx: ViewEvalContext) =>
  applyView(rows, FIELDS, config, recordAccess, ctx).map((r) => r.id);

describe('dates read in the reader’s time zone', () => {
  // 23:30 on Sunday 6 December in New York is already Monday 7 December in UTC.
  const newYorkLate = Date.parse('2026-12-07T04:30:00Z');
  // 00:30 on Monday 7 December in Zurich is still Sunday 6 December in UTC.
  const zurichEarly = Date.parse('2026-12-06T23:30:00Z');
  const rows = [
    row('sun', '2026-12-06', '2026-12-06T20:00:00Z'),
    row('mon', '2026-12-07', '2026-12-07T03:00:00Z'),
  ];

  it('given 23:30 in New York, when "today" is filtered, then the New York day; UTC would say tomorrow', () => {
    const ny = { now: newYorkLate, timeZone: readerTimeZone('America/New_York') };
    expect(shown(rows, where('next', 'is_on', { relative: 'today' }), ny)).toEqual(['sun']);
    expect(
      shown(rows, where('next', 'is_on', { relative: 'today' }), { now: newYorkLate }),
    ).toEqual(['mon']);
  });

  it('given 00:30 in Zurich, when "today" and "the next 6 days" are filtered, then from Zurich’s Monday', () => {
    const zh = { now: zurichEarly, timeZone: readerTimeZone('Europe/Zurich') };
    expect(shown(rows, where('next', 'is_on', { relative: 'today' }), zh)).toEqual(['mon']);
    expect(shown(rows, where('next', 'is_on', { relative: 'yesterday' }), zh)).toEqual(['sun']);
    expect(shown(rows, where('next', 'is_within', { direction: 'next', days: 6 }), zh)).toEqual([
      'mon',
    ]);
    expect(
      shown(rows, where('next', 'is_on', { relative: 'today' }), { now: zurichEarly }),
    ).toEqual(['sun']);
  });

  it('given a record made at 22:00 on Sunday in New York, when "less than a day ago" is read there, then today at 23:30 and a day old at 00:30; UTC calls it today at both', () => {
    const made = [row('late', '2026-12-01', '2026-12-07T03:00:00Z')];
    const lessThanOne = where('created', 'less_than_days_ago', 1);
    const zone = readerTimeZone('America/New_York');
    const mondayEarly = Date.parse('2026-12-07T05:30:00Z');
    expect(shown(made, lessThanOne, { now: newYorkLate, timeZone: zone })).toEqual(['late']);
    expect(shown(made, lessThanOne, { now: mondayEarly, timeZone: zone })).toEqual([]);
    expect(shown(made, lessThanOne, { now: mondayEarly })).toEqual(['late']);
  });

  it('given no zone, when read, then UTC; given one it does not know, then refused naming the parameter', () => {
    expect(readerTimeZone(undefined)).toBeNull();
    expect(readerTimeZone('')).toBeNull();
    expect(readerTimeZone('europe/zurich')).toBe('Europe/Zurich');
    for (const given of ['Mars/Olympus', 'UTC+2', 42]) {
      const e = domainErrorOf(() => readerTimeZone(given));
      expect(e.code).toBe('validation');
      expect(e.reason).toBe('unknown_time_zone');
      expect(e.details).toMatchObject({ field: 'tz', given });
    }
  });
});
