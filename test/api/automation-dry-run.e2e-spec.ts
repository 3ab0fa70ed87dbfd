import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('POST /api/automations/dry-run', () => {
  const t = apiSuite({ member: true });
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const records: string[] = [];
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    ids = await baseIds(t);
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          ['Stale LP', daysAgo(45)],
          ['Fresh LP', daysAgo(3)],
          ['Older LP', daysAgo(90)],
          ['Never contacted LP', null],
        ].map(([name, contacted]) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: name, [ids.inv('last_contacted')]: contacted },
        })),
      })
      .expect(200);
    records.push(...res.body.applied.map((a: { record_id: string }) => a.record_id));
  });

  const followUp = () => ({
    name: 'No contact in 30 days → follow-up',
    trigger: { type: 'record_matches', table_id: ids.investors },
    conditions: {
      conjunction: 'and',
      conditions: [
        { field_id: ids.inv('last_contacted'), operator: 'more_than_days_ago', value: 30 },
      ],
    },
    actions: [
      { type: 'set_membership', list: 'follow_up', op: 'add' },
      { type: 'set_field', field_id: ids.inv('next_step'), value: 'Call' },
    ],
  });

  it('answers what a rule sent whole would change now, and writes nothing', async () => {
    const before = t.core.store.lastPosition();
    const res = await t.member
      .http()
      .post('/api/automations/dry-run')
      .send({ rule: followUp() })
      .expect(200);
    expect(res.body.matches).toBe(2);
    expect(res.body.total_effects).toBe(4);
    expect(res.body.effects).toEqual(
      expect.arrayContaining([
        { record_id: records[0], what: 'lists (add follow_up)', from: [], to: ['follow_up'] },
        { record_id: records[2], what: `field ${ids.inv('next_step')}`, from: null, to: 'Call' },
      ]),
    );
    expect(t.core.store.lastPosition()).toBe(before);
  });

  it('runs a saved rule by its id, and leaves out what is already so', async () => {
    const { body: rule } = await t.http().post('/api/automations').send(followUp()).expect(201);
    await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: records[0], list: 'follow_up', op: 'add' })
      .expect(200);
    const res = await t
      .http()
      .post('/api/automations/dry-run')
      .send({ rule_id: rule.id })
      .expect(200);
    expect(res.body).toMatchObject({ matches: 2, total_effects: 3 });
  });

  it('refuses a bad rule naming the part under rule., and an unknown rule_id', async () => {
    const bad = await t
      .http()
      .post('/api/automations/dry-run')
      .send({ rule: { ...followUp(), actions: [{ type: 'send_fax' }] } })
      .expect(400);
    expect(bad.body).toMatchObject({
      reason: 'unknown_action',
      details: { field: 'rule.actions[0].type' },
    });
    await t.http().post('/api/automations/dry-run').send({ rule_id: 'autNope' }).expect(404);
    await t.http().post('/api/automations/dry-run').send({}).expect(400);
  });

  it('backtests a rule over the real history since a date, writing nothing', async () => {
    for (const [id, from, to] of [
      [records[0], null, 'Engaged'],
      [records[0], 'Engaged', 'Passed'],
      [records[1], null, 'Passed'],
    ])
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({ changes: [{ op: 'set', record_id: id, field_id: ids.inv('stage'), from, to }] })
        .expect(200);
    const rule = {
      name: 'Passed → graveyard',
      trigger: {
        type: 'record_updated',
        table_id: ids.investors,
        fields: [ids.inv('stage')],
        to: { operator: 'is', value: 'Passed' },
      },
      conditions: null,
      actions: [{ type: 'set_membership', list: 'graveyard', op: 'move' }],
    };
    const before = t.core.store.lastPosition();
    const lastEventAt = () => t.core.store.readAll(before - 1)[0].recorded_at;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const res = await t.member
      .http()
      .post('/api/automations/backtest')
      .send({ rule, from: yesterday })
      .expect(200);
    expect(res.body).toMatchObject({
      runs: 2,
      total_effects: 2,
      by_date: [{ date: new Date().toISOString().slice(0, 10), runs: 2, effects: 2 }],
    });
    expect(res.body.effects[0]).toMatchObject({
      record_id: records[0],
      what: 'lists (move graveyard)',
      from: ['follow_up'],
      to: ['graveyard'],
      at: expect.any(String),
    });
    expect(t.core.store.lastPosition()).toBe(before);
    const later = await t
      .http()
      .post('/api/automations/backtest')
      .send({ rule, from: new Date(Date.parse(lastEventAt()) + 1).toISOString() })
      .expect(200);
    expect(later.body.runs).toBe(0);
    const bad = await t
      .http()
      .post('/api/automations/backtest')
      .send({ rule, from: 'last week' })
      .expect(400);
    expect(bad.body.details).toMatchObject({ field: 'from' });
  });
});
