import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('lists the fund adds', () => {
  const t = apiSuite({ member: true });
  let ids: Awaited<ReturnType<typeof baseIds>>;

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  it('lists the built-in lists, adds one by name (admins), and refuses a taken or empty name', async () => {
    const before = await t.member.http().get('/api/fundraising/lists').expect(200);
    expect(before.body.lists.map((l: { list: string }) => l.list)).toEqual([
      'main',
      'follow_up',
      'graveyard',
      'longshot',
      'all',
    ]);
    const added = await t
      .http()
      .post('/api/fundraising/lists')
      .send({ name: 'Warm leads' })
      .expect(201);
    expect(added.body).toEqual({ list: 'warm_leads', name: 'Warm leads', built_in: false });
    await t.member.http().post('/api/fundraising/lists').send({ name: 'Mine' }).expect(403);
    const taken = await t
      .http()
      .post('/api/fundraising/lists')
      .send({ name: 'warm  LEADS' })
      .expect(409);
    expect(taken.body.details).toMatchObject({ field: 'name', list: 'warm_leads' });
    await t.http().post('/api/fundraising/lists').send({ name: 'Follow up' }).expect(409);
    await t.http().post('/api/fundraising/lists').send({ name: ' ' }).expect(400);
    const after = await t.member.http().get('/api/fundraising/lists').expect(200);
    expect(after.body.lists.at(-1)).toEqual({
      list: 'warm_leads',
      name: 'Warm leads',
      built_in: false,
    });
  });

  it('moves records into an added list by hand and by a rule', async () => {
    await t.http().post('/api/fundraising/lists').send({ name: 'Re-ups' }).expect(201);
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send({
        name: 'New investors → Re-ups',
        trigger: { type: 'record_created', table_id: ids.investors },
        conditions: null,
        actions: [{ type: 'set_membership', list: 're_ups', op: 'add' }],
        enabled: true,
      })
      .expect(201);
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Re-up LP' } },
        ],
      })
      .expect(200);
    const id = created.body.applied[0].record_id;
    await t.app.get(ProcessorRunner).settled();
    const lists = await t.http().get('/api/fundraising/memberships?list=re_ups').expect(200);
    expect(lists.body.memberships).toEqual([
      expect.objectContaining({ record_id: id, rule_id: rule.id }),
    ]);
    await t.member
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 're_ups', op: 'remove' })
      .expect(200);
    expect(
      (await t.http().get('/api/fundraising/memberships?list=re_ups').expect(200)).body.memberships,
    ).toEqual([]);
  });
});
