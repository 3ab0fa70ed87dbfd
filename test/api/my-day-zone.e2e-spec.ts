import { apiSuite } from '../support/api-suite';
import { baseIds, type TestApp } from '../support/test-app';

/** The app's clock, held at an instant the test moves (the scheduler and processors read it too). */
function holdClock(t: TestApp, iso: string) {
  let now = Date.parse(iso);
  const spy = jest.spyOn(t.core.clock, 'now').mockImplementation(() => new Date(now).toISOString());
  return {
    set: (at: string) => (now = Date.parse(at)),
    restore: () => spy.mockRestore(),
  };
}

interface Day {
  today: string;
  overdue: { title: string }[];
  due_today: { title: string }[];
  overdue_count: number;
}

const titles = (list: { title: string }[]) => list.map((r) => r.title);

/**
 * "Today" on My day, in the nav's count and in the reminders' due lists is the reader's date in the
 * zone the request names (`tz`), the fund's without one: due dates are calendar dates, and a
 * partner in New York must not see tomorrow's reminders as due while it is already tomorrow in
 * the fund's Zurich.
 */
describe('My day in the reader’s time zone', () => {
  const t = apiSuite({ member: true });
  let clock: ReturnType<typeof holdClock>;
  const idOf = new Map<string, string>();

  beforeAll(async () => {
    const ids = await baseIds(t);
    await t
      .http()
      .patch('/api/follow-up-settings')
      .send({ time_zone: 'Europe/Zurich' })
      .expect(200);
    const record = (
      await t.member
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Alpine LP' } },
          ],
        })
        .expect(200)
    ).body.applied[0].record_id as string;
    // Made by the member on a record without an Owner: all three are the member's.
    for (const [title, due_date] of [
      ['Due 5 March', '2026-03-05'],
      ['Due 6 March', '2026-03-06'],
      ['Due 7 March', '2026-03-07'],
    ]) {
      const made = await t.member
        .http()
        .post('/api/reminders')
        .send({ record_id: record, title, due_date })
        .expect(201);
      idOf.set(title, made.body.id as string);
    }
    // 00:30 on 7 March in Zurich, 18:30 on 6 March in New York.
    clock = holdClock(t, '2026-03-06T23:30:00Z');
  });

  afterAll(() => clock.restore());

  const myDay = async (query = '') =>
    (await t.member.http().get(`/api/my-day${query}`).expect(200)).body as Day;
  const count = async (query = '') =>
    (await t.member.http().get(`/api/my-day/count${query}`).expect(200)).body.overdue as number;
  const dueList = async (due: string, query = '') =>
    titles(
      (await t.member.http().get(`/api/reminders?assignee=me&due=${due}${query}`).expect(200)).body
        .reminders,
    );

  it('without tz reads the fund’s zone, as before', async () => {
    const day = await myDay();
    expect(day.today).toBe('2026-03-07');
    expect(titles(day.due_today)).toEqual(['Due 7 March']);
    expect(titles(day.overdue)).toEqual(['Due 5 March', 'Due 6 March']);
    expect(day.overdue_count).toBe(2);
    expect(await count()).toBe(2);
    expect(await dueList('today')).toEqual(['Due 7 March']);
    expect(await myDay('?tz=Europe/Zurich')).toEqual(day);
  });

  it('with tz=America/New_York reads the reader’s date: the 7th is tomorrow, the 6th today', async () => {
    const tz = `?tz=${encodeURIComponent('America/New_York')}`;
    const day = await myDay(tz);
    expect(day.today).toBe('2026-03-06');
    expect(titles(day.due_today)).toEqual(['Due 6 March']);
    expect(titles(day.overdue)).toEqual(['Due 5 March']);
    expect(day.overdue_count).toBe(1);
    expect(await count(tz)).toBe(1);
    expect(await dueList('today', `&tz=America/New_York`)).toEqual(['Due 6 March']);
    expect(await dueList('overdue', `&tz=America/New_York`)).toEqual(['Due 5 March']);
    expect(await dueList('week', `&tz=America/New_York`)).toEqual(['Due 6 March', 'Due 7 March']);
  });

  it('agrees with the fund once both zones are on the same date', async () => {
    // 06:30 in Zurich and 00:30 in New York, both on 7 March.
    clock.set('2026-03-07T05:30:00Z');
    try {
      expect(await myDay('?tz=America/New_York')).toEqual(await myDay());
      expect(await count('?tz=America/New_York')).toBe(2);
    } finally {
      clock.set('2026-03-06T23:30:00Z');
    }
  });

  it('snoozes "to tomorrow" on the reader’s calendar: the 7th from New York on the 6th', async () => {
    const snooze = (query: string) =>
      t.member
        .http()
        .post(`/api/reminders/${idOf.get('Due 6 March')}/snooze${query}`)
        .send({ until: '2026-03-07' });
    // The fund's today is already the 7th: not a day to snooze until.
    const refused = await snooze('').expect(400);
    expect(refused.body.details.field).toBe('until');
    const snoozed = await snooze('?tz=America/New_York').expect(200);
    expect(snoozed.body).toMatchObject({ status: 'snoozed', snoozed_until: '2026-03-07' });
    const reader = await myDay('?tz=America/New_York');
    expect([titles(reader.overdue), titles(reader.due_today)]).toEqual([['Due 5 March'], []]);
    // On the fund's 7th the snooze has ended: open again, due on the day it ends.
    const fund = await myDay();
    expect(titles(fund.due_today)).toEqual(['Due 6 March', 'Due 7 March']);
  });

  it.each(['/api/my-day', '/api/my-day/count', '/api/reminders?assignee=me&due=today'])(
    '%s refuses a zone it does not know with a 400 naming tz',
    async (path) => {
      const res = await t.member
        .http()
        .get(`${path}${path.includes('?') ? '&' : '?'}tz=Mars%2FOlympus_Mons`)
        .expect(400);
      expect(res.body.details).toMatchObject({ field: 'tz', given: 'Mars/Olympus_Mons' });
      expect(res.body.reason).toBe('unknown_time_zone');
    },
  );

  it('refuses a snooze with a zone it does not know, snoozing nothing', async () => {
    const before = t.core.store.lastPosition();
    const res = await t.member
      .http()
      .post(`/api/reminders/${idOf.get('Due 5 March')}/snooze?tz=Mars%2FOlympus_Mons`)
      .send({ until: '2026-03-09' })
      .expect(400);
    expect(res.body.details).toMatchObject({ field: 'tz', given: 'Mars/Olympus_Mons' });
    expect(t.core.store.lastPosition()).toBe(before);
  });
});
