import { FOLLOW_UP_DAY_JOB } from '../../apps/api/src/capabilities/reminders/follow-up-fields.processor';
import { FundraisingCommands } from '../../apps/api/src/capabilities/fundraising';
import { upgradeFollowUpFields } from '../../apps/api/src/capabilities/reminders/follow-up-fields.upgrade';
import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { JobScheduler } from '../../apps/api/src/infrastructure/scheduling/job-scheduler';
import { apiSuite } from '../support/api-suite';
import { turnsDuring } from '../support/event-loop-turns';
import { baseIds, type TestApp } from '../support/test-app';

type Ids = Awaited<ReturnType<typeof baseIds>>;

/** The app's clock, held at an instant the test moves (commands, processors and the scheduler read it). */
function holdClock(t: TestApp, iso: string) {
  let now = Date.parse(iso);
  const spy = jest.spyOn(t.core.clock, 'now').mockImplementation(() => new Date(now).toISOString());
  return { set: (at: string) => (now = Date.parse(at)), restore: () => spy.mockRestore() };
}

describe('follow-up fields of investors and contacts', () => {
  const t = apiSuite({ member: true });
  let ids: Ids;
  const follow = (value: string) => ids.field('investors', `follow_up.${value}`);
  const settled = () => t.app.get(ProcessorRunner).settled();

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const valuesOf = async (recordId: string) => {
    const state = await t.http().get('/api/fundraising/state').expect(200);
    return state.body.tables
      .find((x: { id: string }) => x.id === ids.investors)
      .records.find((r: { id: string }) => r.id === recordId).values as Record<string, unknown>;
  };
  const followUpOf = async (recordId: string) => {
    const v = await valuesOf(recordId);
    return {
      last_contacted_by: v[follow('last_contacted_by')] ?? null,
      staleness: v[follow('staleness')] ?? null,
      reminder_status: v[follow('reminder_status')] ?? null,
      interactions_90_days: v[follow('interactions_90_days')] ?? null,
    };
  };
  /** The fund's day starting: the scheduler's daily run, then what it caused. */
  const dayStarts = async () => {
    await t.app.get(JobScheduler).runDue(FOLLOW_UP_DAY_JOB);
    await settled();
  };

  it('are read-only fields of both tables, added once at start', async () => {
    const { body } = await t.http().get('/api/fundraising/state').expect(200);
    for (const role of ['investors', 'contacts']) {
      const table = body.tables.find((x: { role: string }) => x.role === role);
      expect(
        table.fields
          .filter((f: { type: string }) => f.type === 'follow_up')
          .map((f: { name: string }) => f.name),
      ).toEqual(['Last contacted by', 'Staleness', 'Reminder status', 'Interactions (90 days)']);
    }
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'create', table_id: ids.investors, values: {} }] })
      .expect(200);
    const id = created.body.applied[0].record_id;
    const typed = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [{ op: 'set', record_id: id, field_id: follow('staleness'), from: null, to: 'x' }],
      })
      .expect(400);
    expect(typed.body.message).toMatch(/filled in by the system/);
    // The next start finds them there: nothing more is added.
    const commands = t.app.get(FundraisingCommands);
    expect(await upgradeFollowUpFields(commands, t.core.repo, t.core.store)).toBe(0);
  });

  it('follow interactions and reminders at once and the days by the daily run: grid, views and formulas read them', async () => {
    const clock = holdClock(t, '2030-03-01T12:00:00Z');
    try {
      const { body } = await t.member
        .http()
        .post('/api/fundraising/log-communication')
        .send({
          investor_name: 'Tidewater LP',
          kind: 'call',
          summary: 'First call',
          next_step: { title: 'Send the deck', due_date: '2030-03-05' },
        })
        .expect(201);
      await settled();
      expect(await followUpOf(body.record_id)).toEqual({
        last_contacted_by: t.member.id,
        staleness: null,
        reminder_status: 'due_soon',
        interactions_90_days: 1,
      });
      const formula = await t
        .http()
        .post(`/api/fundraising/tables/${ids.investors}/fields`)
        .send({ name: 'Chase', type: 'formula', options: { formula: '{Staleness} & "?"' } })
        .expect(201);
      const stale = await t
        .http()
        .post('/api/fundraising/views')
        .send({
          table_id: ids.investors,
          name: 'Stale',
          filters: {
            conjunction: 'and',
            conditions: [{ field_id: follow('staleness'), operator: 'is', value: 'stale' }],
          },
          sorts: [{ field_id: follow('interactions_90_days'), direction: 'desc' }],
        })
        .expect(201);
      const staleNames = async () =>
        (
          await t.http().get(`/api/fundraising/views/${stale.body.id}/records`).expect(200)
        ).body.records.map((r: { id: string }) => r.id);
      expect(await staleNames()).toEqual([]);

      clock.set('2030-03-06T00:05:00Z');
      await dayStarts();
      expect((await followUpOf(body.record_id)).reminder_status).toBe('overdue');

      clock.set('2030-03-31T00:05:00Z');
      await dayStarts();
      expect((await followUpOf(body.record_id)).staleness).toBe('aging');

      clock.set('2030-04-30T00:05:00Z');
      await dayStarts();
      expect(await followUpOf(body.record_id)).toMatchObject({ staleness: 'stale' });
      expect(await staleNames()).toEqual([body.record_id]);
      expect((await valuesOf(body.record_id))[formula.body.id]).toBe('stale?');
      // The turn is in the record's history, by the system.
      const history = await t
        .http()
        .get(`/api/fundraising/records/${body.record_id}/history`)
        .expect(200);
      expect(history.body.entries.map((e: { summary: string }) => e.summary)).toContain(
        'changed "Staleness"',
      );

      // A new call: fresh again, at once.
      await t.member
        .http()
        .post('/api/fundraising/log-communication')
        .send({ record_id: body.record_id, kind: 'meeting', summary: 'Second meeting' })
        .expect(201);
      await settled();
      expect(await followUpOf(body.record_id)).toMatchObject({
        staleness: null,
        // The first call, 60 days ago, is still within the 90 days.
        interactions_90_days: 2,
      });
      expect(await staleNames()).toEqual([]);
    } finally {
      clock.restore();
    }
  });

  it('a rule on Staleness fires when the day turns a record stale: "gone stale" moves it to a list', async () => {
    const clock = holdClock(t, '2031-01-10T12:00:00Z');
    try {
      const { body: rule } = await t
        .http()
        .post('/api/automations')
        .send({
          name: 'Gone stale → graveyard',
          trigger: {
            type: 'record_updated',
            table_id: ids.investors,
            fields: [follow('staleness')],
            to: { operator: 'is', value: 'stale' },
          },
          conditions: null,
          actions: [{ type: 'set_membership', list: 'graveyard', op: 'move' }],
          enabled: true,
        })
        .expect(201);
      const { body } = await t.member
        .http()
        .post('/api/fundraising/log-communication')
        .send({ investor_name: 'Driftwood LP', kind: 'email', summary: 'Sent the letter' })
        .expect(201);
      await settled();
      const lists = async () =>
        (
          await t.member
            .http()
            .get(`/api/fundraising/memberships?record_id=${body.record_id}`)
            .expect(200)
        ).body.memberships.map((m: { list: string }) => m.list);
      expect(await lists()).not.toContain('graveyard');
      clock.set('2031-03-11T00:05:00Z');
      await dayStarts();
      await settled();
      expect((await followUpOf(body.record_id)).staleness).toBe('stale');
      expect(await lists()).toContain('graveyard');
      const runs = await t.http().get(`/api/automations/${rule.id}/runs`).expect(200);
      const run = runs.body.runs.find(
        (r: { trigger: { record_id: string } }) => r.trigger.record_id === body.record_id,
      );
      expect(run).toMatchObject({ status: 'succeeded' });
      // Its trigger: the system's update of Staleness, caused by the day's run.
      const trigger = t.core.store.readAll(0).find((e) => e.event_id === run.trigger.event_id)!;
      expect(trigger.metadata).toMatchObject({ actor_id: 'system', source: 'system' });
      expect(
        t.core.store.readAll(0).find((e) => e.event_id === trigger.metadata.causation_id),
      ).toMatchObject({ type: 'ScheduledJobRan', data: { job: 'follow-up-day' } });
    } finally {
      clock.restore();
    }
  });

  it('a day on which no value moves records only its run', async () => {
    const clock = holdClock(t, '2031-03-12T00:05:00Z');
    try {
      await dayStarts();
      const before = t.core.store.lastPosition();
      clock.set('2031-03-13T00:05:00Z');
      await dayStarts();
      expect(t.core.store.readAll(before).map((e) => e.type)).toEqual(['ScheduledJobRan']);
    } finally {
      clock.restore();
    }
  });
  it('an archived record keeps its values; brought back, it is brought up to date', async () => {
    const clock = holdClock(t, '2031-04-01T12:00:00Z');
    try {
      const { body } = await t.member
        .http()
        .post('/api/fundraising/log-communication')
        .send({ investor_name: 'Harbor Rest LP', kind: 'call', summary: 'Checked in' })
        .expect(201);
      const change = (op: string) =>
        t
          .http()
          .post('/api/fundraising/changes')
          .send({ changes: [{ op, record_id: body.record_id }] })
          .expect(200);
      await change('archive');
      clock.set('2031-05-02T00:05:00Z');
      await dayStarts();
      expect(t.core.repo.record(body.record_id)!.values[follow('staleness')] ?? null).toBeNull();
      await change('unarchive');
      await settled();
      expect((await followUpOf(body.record_id)).staleness).toBe('aging');
    } finally {
      clock.restore();
    }
  });
  it('count a "Last contacted" date typed or imported: an edit moves Staleness after commit, and the daily run reads records created with one', async () => {
    const clock = holdClock(t, '2032-06-01T12:00:00Z');
    try {
      const lastContacted = ids.field('investors', 'investor.last_contacted');
      const name = ids.field('investors', 'investor.name');
      const created = await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            { op: 'create', table_id: ids.investors, values: { [name]: 'Typed Date LP' } },
            {
              op: 'create',
              table_id: ids.investors,
              values: { [name]: 'Imported Date LP', [lastContacted]: '2032-05-20' },
            },
          ],
        })
        .expect(200);
      const [typed, imported] = created.body.applied.map((a: { record_id: string }) => a.record_id);
      // When a partner types a date two months back, then the record turns stale after commit.
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            { op: 'set', record_id: typed, field_id: lastContacted, from: null, to: '2032-03-25' },
          ],
        })
        .expect(200);
      await settled();
      expect(await followUpOf(typed)).toMatchObject({
        staleness: 'stale',
        last_contacted_by: null,
      });
      // The partner's edit stays their batch; the values it moved are the system's, caused by it.
      const edits = t.core.store
        .readAll(0)
        .filter((e) => e.type === 'RecordUpdated' && e.stream_id === `record-${typed}`);
      const [mine, system] = edits.slice(-2);
      expect(mine.metadata.actor_id).toBe(t.adminId);
      expect(system.metadata).toMatchObject({ actor_id: 'system', causation_id: mine.event_id });
      expect(system.metadata.correlation_id).not.toBe(mine.metadata.correlation_id);
      // A date typed back to last week makes it fresh again.
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            {
              op: 'set',
              record_id: typed,
              field_id: lastContacted,
              from: '2032-03-25',
              to: '2032-05-28',
            },
          ],
        })
        .expect(200);
      await settled();
      expect((await followUpOf(typed)).staleness).toBeNull();
      // A record created with a date turns aging when the day comes, by the daily run.
      clock.set('2032-06-20T00:05:00Z');
      await dayStarts();
      expect((await followUpOf(imported)).staleness).toBe('aging');
    } finally {
      clock.restore();
    }
  });

  it('a daily run over many records gives the event loop back between its commands', async () => {
    const clock = holdClock(t, '2033-01-10T12:00:00Z');
    try {
      const lastContacted = ids.field('investors', 'investor.last_contacted');
      const name = ids.field('investors', 'investor.name');
      // 1,500 investors created with a date: the daily run brings every one of them up to date.
      const created = await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: Array.from({ length: 1_500 }, (_, i) => ({
            op: 'create',
            table_id: ids.investors,
            values: { [name]: `Night LP ${i}`, [lastContacted]: '2032-12-01' },
          })),
        })
        .expect(200);
      await settled();
      clock.set('2033-01-11T00:05:00Z');
      const turns = await turnsDuring(dayStarts);
      const last = created.body.applied[1_499].record_id as string;
      expect((await followUpOf(last)).staleness).toBe('aging');
      // Fifteen commands of 100 records at least, a turn between each two: requests are served
      // meanwhile. Before, the refresh ran as one chain of promises and no turn came until it ended.
      expect(turns).toBeGreaterThanOrEqual(14);
    } finally {
      clock.restore();
    }
  });

  it("the drawer's values agree with the fields: a typed date counts for Staleness, and the 90 days are calendar days of the fund's zone", async () => {
    const clock = holdClock(t, '2033-06-01T12:00:00Z');
    try {
      const lastContacted = ids.field('investors', 'investor.last_contacted');
      const name = ids.field('investors', 'investor.name');
      const made = await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [{ op: 'create', table_id: ids.investors, values: { [name]: 'Drawer LP' } }],
        })
        .expect(200);
      const id = made.body.applied[0].record_id;
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            { op: 'set', record_id: id, field_id: lastContacted, from: null, to: '2033-03-01' },
          ],
        })
        .expect(200);
      // 18:00 on 3 March: 89 days and 18 hours ago, but on the calendar day before the 90 that count.
      await t
        .http()
        .post('/api/fundraising/log-communication')
        .send({ record_id: id, kind: 'call', summary: 'x', occurred_at: '2033-03-03T18:00:00Z' })
        .expect(201);
      await settled();
      const drawer = (await t.http().get(`/api/fundraising/records/${id}/follow-up`)).body;
      const fields = await followUpOf(id);
      expect([drawer.staleness, drawer.interactions_90_days]).toEqual(['stale', 0]);
      expect([fields.staleness, fields.interactions_90_days]).toEqual(['stale', 0]);
      // A date typed later than the call is the last contact the drawer's Staleness reads too.
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            {
              op: 'set',
              record_id: id,
              field_id: lastContacted,
              from: '2033-03-03',
              to: '2033-05-10',
            },
          ],
        })
        .expect(200);
      await settled();
      expect((await t.http().get(`/api/fundraising/records/${id}/follow-up`)).body.staleness).toBe(
        '',
      );
      expect((await followUpOf(id)).staleness).toBeNull();
    } finally {
      clock.restore();
    }
  });
});
