import { JobScheduler } from '../../apps/api/src/infrastructure/scheduling/job-scheduler';
import { jobNameOf } from '../../apps/api/src/capabilities/automations/automation-schedule';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('schedule triggers', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  it('runs once per occurrence over the records meeting the conditions at that moment', async () => {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          ['Stale LP', daysAgo(45)],
          ['Fresh LP', daysAgo(2)],
        ].map(([name, contacted]) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: name, [ids.inv('last_contacted')]: contacted },
        })),
      })
      .expect(200);
    const [stale] = res.body.applied.map((a: { record_id: string }) => a.record_id);
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send({
        name: 'Every morning: no contact in 30 days → follow-up',
        trigger: {
          type: 'schedule',
          table_id: ids.investors,
          every: 'day',
          at: '02:30',
          time_zone: 'Europe/Zurich',
        },
        conditions: {
          conjunction: 'and',
          conditions: [
            { field_id: ids.inv('last_contacted'), operator: 'more_than_days_ago', value: 30 },
          ],
        },
        actions: [{ type: 'set_membership', list: 'follow_up', op: 'add' }],
        enabled: true,
      })
      .expect(201);
    const scheduler = t.app.get(JobScheduler);
    // Nothing is owed for occurrences before the rule existed.
    expect(await scheduler.runDue(jobNameOf(rule.id), Date.now())).toBeNull();
    const tomorrow = Date.now() + 86_400_000;
    await scheduler.runDue(jobNameOf(rule.id), tomorrow);
    await scheduler.runDue(jobNameOf(rule.id), tomorrow + 60_000);
    const runs = (await t.http().get(`/api/automations/${rule.id}/runs`).expect(200)).body.runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'succeeded',
      trigger: { record_id: stale, event_id: expect.stringMatching(/^schedule-/) },
      effects: [{ record_id: stale, what: 'lists (add follow_up)', from: [], to: ['follow_up'] }],
    });
    const lists = await t.http().get('/api/fundraising/memberships?list=follow_up').expect(200);
    expect(lists.body.memberships.map((m: { record_id: string }) => m.record_id)).toEqual([stale]);
  });

  it('matches on computed values and lists too, never on archived records, and plans on the whole record', async () => {
    const name = (n: string) => ({ [ids.inv('name')]: n });
    const formula = await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({ name: 'Name length', type: 'formula', options: { formula: 'LEN({Name})' } })
      .expect(201);
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: ['A long name LP', 'Short', 'A long archived LP', 'A long graveyard LP'].map(
          (n) => ({ op: 'create', table_id: ids.investors, values: name(n) }),
        ),
      })
      .expect(200);
    const [long, , archived, buried] = res.body.applied.map(
      (a: { record_id: string }) => a.record_id,
    );
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'archive', record_id: archived }] })
      .expect(200);
    await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: buried, list: 'graveyard', op: 'add' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send({
        name: 'Long names, not buried: copy the name into the notes',
        trigger: {
          type: 'schedule',
          table_id: ids.investors,
          every: 'day',
          at: '03:00',
          time_zone: 'UTC',
        },
        conditions: {
          conjunction: 'and',
          conditions: [
            { field_id: formula.body.id, operator: '>=', value: 10 },
            { field_id: 'lists', operator: 'not_in_list', value: 'graveyard' },
          ],
        },
        actions: [{ type: 'set_field', field_id: ids.inv('notes'), value: 'long name' }],
        enabled: true,
      })
      .expect(201);
    await t.app.get(JobScheduler).runDue(jobNameOf(rule.id), Date.now() + 86_400_000);
    const runs = (await t.http().get(`/api/automations/${rule.id}/runs`).expect(200)).body.runs;
    expect(runs.map((r: { trigger: { record_id: string } }) => r.trigger.record_id)).toEqual([
      long,
    ]);
    expect(runs[0]).toMatchObject({
      status: 'succeeded',
      effects: [
        { record_id: long, what: `field ${ids.inv('notes')}`, from: null, to: 'long name' },
      ],
    });
  });
});
