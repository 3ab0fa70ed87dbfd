import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds, type TestApp } from '../support/test-app';

type Ids = Awaited<ReturnType<typeof baseIds>>;

/** The app's clock, held at an instant the test moves. */
function holdClock(t: TestApp, iso: string) {
  let now = Date.parse(iso);
  const spy = jest.spyOn(t.core.clock, 'now').mockImplementation(() => new Date(now).toISOString());
  return { set: (at: string) => (now = Date.parse(at)), restore: () => spy.mockRestore() };
}

describe('POST /api/fundraising/log-communication', () => {
  const t = apiSuite({ member: true });
  let ids: Ids;

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const log = (body: object, key?: string) => {
    const req = t.member.http().post('/api/fundraising/log-communication');
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };

  it('makes the investor when no live investor has exactly that name, then finds it; a next step is a reminder of the same batch', async () => {
    const first = await log({
      investor_name: 'Fjord Capital',
      kind: 'call',
      summary: 'Intro call, wants the deck',
      next_step: { title: 'Send the deck', due_date: '2030-01-08' },
    }).expect(201);
    expect(first.body).toMatchObject({ investor: 'created', reminder_id: expect.any(String) });
    const record = t.core.repo.record(first.body.record_id)!;
    expect(record.table_id).toBe(ids.investors);
    expect(record.values[ids.inv('name')]).toBe('Fjord Capital');
    await t.app.get(ProcessorRunner).settled();
    const events = t.core.store.readAll(0);
    const correlation = events.find((e) => e.type === 'InteractionLogged')!.metadata.correlation_id;
    const correlated = events.filter((e) => e.metadata.correlation_id === correlation);
    // The request's own batch: what its command appended.
    expect(correlated.filter((e) => !e.metadata.causation_id).map((e) => e.type)).toEqual([
      'RecordCreated',
      'InteractionLogged',
      'ReminderCreated',
      // Its Last contacted, set to the call's date.
      'RecordUpdated',
      // Its follow-up fields (Last contacted by, Reminder status, Interactions (90 days)).
      'RecordUpdated',
    ]);
    // Nothing was left for the follow-up processor to do after commit.
    expect(correlated.filter((e) => e.metadata.causation_id)).toEqual([]);
    const reminder = await t.member
      .http()
      .get(`/api/reminders/${first.body.reminder_id}`)
      .expect(200);
    expect(reminder.body).toMatchObject({
      title: 'Send the deck',
      due_date: '2030-01-08',
      assignee_id: t.member.id,
      source: 'interaction',
      interaction_id: first.body.interaction_id,
    });
    const second = await log({
      investor_name: 'Fjord Capital',
      kind: 'email',
      summary: 'Sent',
    }).expect(201);
    expect(second.body).toMatchObject({
      investor: 'found',
      record_id: first.body.record_id,
      reminder_id: null,
    });
    const interactions = await t.member
      .http()
      .get(`/api/fundraising/records/${first.body.record_id}/interactions`)
      .expect(200);
    expect(interactions.body.interactions.map((i: { kind: string }) => i.kind)).toEqual([
      'email',
      'call',
    ]);
  });

  it('answers a retry with the same Idempotency-Key with the first answer and appends nothing', async () => {
    const body = { investor_name: 'Retry Partners', kind: 'meeting', summary: 'Met in Zurich' };
    const first = await log(body, 'quick-log-0001').expect(201);
    const head = t.core.store.lastPosition();
    const again = await log(body, 'quick-log-0001').expect(201);
    expect(again.body).toEqual(first.body);
    expect(t.core.store.lastPosition()).toBe(head);
    await log({ ...body, summary: 'Other' }, 'quick-log-0001').expect(422);
  });

  it.each([
    ['a kind outside the list', { kind: 'lunch' }, 'kind'],
    ['a summary over 20,000 characters', { summary: 's'.repeat(20_001) }, 'summary'],
    ['a next step without a due date', { next_step: { title: 'Call' } }, 'next_step.due_date'],
    [
      'a next step date that is not a date',
      { next_step: { title: 'Call', due_date: 'tomorrow' } },
      'next_step.due_date',
    ],
    ['neither record nor name', { investor_name: undefined }, 'record_id'],
  ])(
    'refuses %s with a 400 naming the field, appending nothing (no investor made)',
    async (_l, over, field) => {
      const head = t.core.store.lastPosition();
      const res = await log({
        investor_name: 'Never Made LP',
        kind: 'call',
        summary: 'x',
        ...over,
      }).expect(400);
      expect(res.body.details.field).toBe(field);
      expect(t.core.store.lastPosition()).toBe(head);
    },
  );

  it('derives last contacted, staleness, reminder status and the 90-day count as the clock moves (30 and 60 days, across DST)', async () => {
    await t
      .http()
      .patch('/api/follow-up-settings')
      .send({ time_zone: 'Europe/Zurich' })
      .expect(200);
    await t.member.http().patch('/api/follow-up-settings').send({ aging_days: 3 }).expect(403);
    const clock = holdClock(t, '2030-03-01T12:00:00Z');
    try {
      // 23:30 in Zurich on 1 March (22:30 UTC): the call is on 1 March there.
      const { body } = await log({
        investor_name: 'Clockwork LP',
        kind: 'call',
        summary: 'Late call',
        occurred_at: '2030-03-01T22:30:00Z',
        next_step: { title: 'Check in', due_date: '2030-03-05' },
      }).expect(201);
      const followUp = async (at: string) => {
        clock.set(at);
        return (await t.member.http().get(`/api/fundraising/records/${body.record_id}/follow-up`))
          .body;
      };
      expect(await followUp('2030-03-02T08:00:00Z')).toEqual({
        last_contacted: '2030-03-01T22:30:00.000Z',
        last_contacted_by: t.member.id,
        staleness: '',
        reminder_status: 'due_soon',
        interactions_90_days: 1,
      });
      expect((await followUp('2030-03-06T08:00:00Z')).reminder_status).toBe('overdue');
      // 30 days after 1 March is 31 March, the day Zurich moves to summer time (a 23-hour day).
      expect((await followUp('2030-03-30T22:59:00Z')).staleness).toBe(''); // 23:59 on the 30th (UTC+1)
      expect((await followUp('2030-03-30T23:00:00Z')).staleness).toBe('aging'); // 00:00 on the 31st
      expect((await followUp('2030-04-29T21:59:00Z')).staleness).toBe('aging'); // 23:59 on the 29th (UTC+2)
      expect((await followUp('2030-04-29T22:00:00Z')).staleness).toBe('stale'); // 00:00 on 30 April
      expect((await followUp('2030-06-01T00:00:00Z')).interactions_90_days).toBe(0);
      const myDay = await t.member.http().get('/api/my-day').expect(200);
      expect(myDay.body.overdue.map((r: { title: string }) => r.title)).toContain('Check in');
      expect(myDay.body.overdue_count).toBeGreaterThanOrEqual(1);
      expect((await t.member.http().get('/api/my-day/count')).body.overdue).toBe(
        myDay.body.overdue_count,
      );
      expect(myDay.body.recent_interactions[0]).toMatchObject({ record_name: expect.any(String) });
    } finally {
      clock.restore();
    }
  });

  it("moves the investor's Last contacted to its latest interaction, so views sort and filter on it", async () => {
    const clock = holdClock(t, '2030-06-01T12:00:00Z');
    try {
      const name = ids.inv('name');
      const last = ids.inv('last_contacted');
      const made = await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: ['Quiet LP', 'Busy LP', 'Typed LP'].map((n) => ({
            op: 'create',
            table_id: ids.investors,
            values: { [name]: n, ...(n === 'Typed LP' ? { [last]: '2030-05-30' } : {}) },
          })),
        })
        .expect(200);
      const [quiet, busy, typed] = made.body.applied.map((a: { record_id: string }) => a.record_id);
      const at = (record_id: string, occurred_at: string) =>
        log({ record_id, kind: 'call', summary: 'x', occurred_at }).expect(201);
      await at(quiet, '2030-03-01T10:00:00Z');
      await at(busy, '2030-05-20T10:00:00Z');
      // Logged later, happened earlier: Last contacted stays on the later date.
      await at(busy, '2030-04-01T10:00:00Z');
      // A date typed later than the call stays too.
      await at(typed, '2030-05-01T10:00:00Z');
      const value = (id: string) => t.core.repo.record(id)!.values[last];
      expect([value(quiet), value(busy), value(typed)]).toEqual([
        '2030-03-01',
        '2030-05-20',
        '2030-05-30',
      ]);
      const history = await t.http().get(`/api/fundraising/records/${quiet}/history`).expect(200);
      expect(history.body.entries.map((e: { summary: string }) => e.summary)).toContain(
        'changed "Last contacted"',
      );
      // Staleness = stale (60 days): last contacted 60 days ago or more, oldest first.
      const { body: view } = await t
        .http()
        .post('/api/fundraising/views')
        .send({
          table_id: ids.investors,
          name: 'Stale',
          filters: {
            conjunction: 'and',
            conditions: [{ field_id: last, operator: 'more_than_days_ago', value: 59 }],
          },
          sorts: [{ field_id: last, direction: 'asc' }],
        })
        .expect(201);
      const rows = await t.http().get(`/api/fundraising/views/${view.id}/records`).expect(200);
      const names = rows.body.records.map(
        (r: { values: Record<string, unknown> }) => r.values[name],
      );
      expect(names).toContain('Quiet LP');
      expect(names).not.toContain('Busy LP');
      expect(
        (await t.http().get(`/api/fundraising/records/${quiet}/follow-up`)).body.staleness,
      ).toBe('stale');
    } finally {
      clock.restore();
    }
  });

  it('lists my stale investors (those I own) on My day', async () => {
    const clock = holdClock(t, '2030-01-01T12:00:00Z');
    try {
      const created = await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            {
              op: 'create',
              table_id: ids.investors,
              values: { [ids.inv('name')]: 'Mine, gone quiet', [ids.inv('owner')]: [t.member.id] },
            },
          ],
        })
        .expect(200);
      const id = created.body.applied[0].record_id;
      await log({
        record_id: id,
        kind: 'note',
        summary: 'Last word',
        occurred_at: '2030-01-01T10:00:00Z',
      }).expect(201);
      clock.set('2030-02-15T12:00:00Z');
      expect((await t.member.http().get('/api/my-day')).body.stale_investors).toEqual([]);
      clock.set('2030-03-15T12:00:00Z');
      const day = (await t.member.http().get('/api/my-day')).body;
      expect(day.stale_investors).toEqual([
        expect.objectContaining({ record_id: id, name: 'Mine, gone quiet' }),
      ]);
      expect((await t.http().get('/api/my-day')).body.stale_investors).toEqual([]);
    } finally {
      clock.restore();
    }
  });
});
