import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('automation rules API', () => {
  const t = apiSuite({ member: true });
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const eventCount = () => t.core.store.lastPosition();
  const settled = () => t.app.get(ProcessorRunner).settled();

  beforeAll(async () => {
    ids = await baseIds(t);
    // Owner holds people now; these rules write a text field, as Owner was before.
    await t
      .http()
      .patch(`/api/fundraising/fields/${ids.inv('owner')}`)
      .send({ type: 'text' })
      .expect(200);
  });

  const passedToGraveyard = () => ({
    name: 'Passed → graveyard',
    trigger: {
      type: 'record_updated',
      table_id: ids.investors,
      fields: [ids.inv('stage')],
      to: { operator: 'is', value: 'Passed' },
    },
    conditions: null,
    actions: [{ type: 'set_membership', list: 'graveyard', op: 'move' }],
    enabled: true,
  });

  async function createInvestor(name: string, values: Record<string, unknown> = {}) {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: name, ...values } },
        ],
      })
      .expect(200);
    return res.body.applied[0].record_id as string;
  }

  const setCell = (id: string, field: string, from: unknown, to: unknown) =>
    t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'set', record_id: id, field_id: field, from, to }] })
      .expect(200);

  it('creates a rule (admin), lists it for members, and refuses writes to members', async () => {
    const created = await t.http().post('/api/automations').send(passedToGraveyard()).expect(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^aut/),
      name: 'Passed → graveyard',
      version: 1,
      enabled: true,
      runs: 0,
      failures: 0,
      last_run_at: null,
    });
    const listed = await t.member.http().get('/api/automations').expect(200);
    expect(listed.body.rules.map((r: { id: string }) => r.id)).toContain(created.body.id);
    await t.member.http().post('/api/automations').send(passedToGraveyard()).expect(403);
    await t.member
      .http()
      .patch(`/api/automations/${created.body.id}`)
      .send({ name: 'x' })
      .expect(403);
    await t.member
      .http()
      .post(`/api/automations/${created.body.id}/toggle`)
      .send({ enabled: false })
      .expect(403);
    await t.member.http().delete(`/api/automations/${created.body.id}`).expect(403);
    await t.http().delete(`/api/automations/${created.body.id}`).expect(200);
  });

  it('makes a new version on every change of the definition; a toggle is not a version', async () => {
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send({ ...passedToGraveyard(), enabled: false })
      .expect(201);
    const renamed = await t
      .http()
      .patch(`/api/automations/${rule.id}`)
      .send({ name: 'Passed investors to the graveyard' })
      .expect(200);
    expect(renamed.body).toMatchObject({ version: 2, name: 'Passed investors to the graveyard' });
    const on = await t
      .http()
      .post(`/api/automations/${rule.id}/toggle`)
      .send({ enabled: true })
      .expect(200);
    expect(on.body).toMatchObject({ version: 2, enabled: true });
    const before = eventCount();
    await t
      .http()
      .patch(`/api/automations/${rule.id}`)
      .send({ name: renamed.body.name })
      .expect(200);
    expect(eventCount()).toBe(before);
    await t.http().delete(`/api/automations/${rule.id}`).expect(200);
    const list = await t.http().get('/api/automations').expect(200);
    expect(list.body.rules.map((r: { id: string }) => r.id)).not.toContain(rule.id);
    expect(t.core.store.readStream(`automation-${rule.id}`).map((e) => e.type)).toEqual([
      'AutomationRuleCreated',
      'AutomationRuleChanged',
      'AutomationRuleToggled',
      'AutomationRuleArchived',
    ]);
    await t.http().patch(`/api/automations/${rule.id}`).send({ name: 'gone' }).expect(404);
  });

  describe('bad input: 400 naming the part, with a reason, nothing appended', () => {
    const cases: [
      string,
      (r: Record<string, unknown>) => Record<string, unknown>,
      string,
      string,
    ][] = [
      [
        'an unknown trigger',
        (r) => ({ ...r, trigger: { type: 'on_moon', table_id: ids.investors } }),
        'trigger.type',
        'unknown_trigger',
      ],
      [
        'an unknown action',
        (r) => ({ ...r, actions: [{ type: 'send_fax' }] }),
        'actions[0].type',
        'unknown_action',
      ],
      [
        'a field of another table',
        (r) => ({
          ...r,
          trigger: { ...(r.trigger as object), fields: [ids.field('funds', 'fund.name')] },
        }),
        'trigger.fields[0]',
        'field_of_another_table',
      ],
      [
        'a `to` the field cannot hold',
        (r) => ({
          ...r,
          trigger: { ...(r.trigger as object), to: { operator: 'is', value: 'Maybe' } },
        }),
        'trigger.to',
        'invalid_value',
      ],
      [
        'an unknown time zone',
        (r) => ({
          ...r,
          trigger: {
            type: 'schedule',
            table_id: ids.investors,
            every: 'day',
            at: '09:00',
            time_zone: 'Mars/Olympus',
          },
        }),
        'trigger.time_zone',
        'unknown_time_zone',
      ],
      [
        'at = 25:00',
        (r) => ({
          ...r,
          trigger: {
            type: 'schedule',
            table_id: ids.investors,
            every: 'day',
            at: '25:00',
            time_zone: 'Europe/Zurich',
          },
        }),
        'trigger.at',
        'invalid_value',
      ],
      [
        'a set_field value the field refuses',
        (r) => ({
          ...r,
          actions: [{ type: 'set_field', field_id: ids.inv('target_commitment'), value: 'lots' }],
        }),
        'actions[0].value',
        'invalid_value',
      ],
      [
        'more than 20 actions',
        (r) => ({
          ...r,
          actions: Array.from({ length: 21 }, () => ({ type: 'log_note', text: 'hi' })),
        }),
        'actions',
        'too_many_actions',
      ],
      ['a name over 200 characters', (r) => ({ ...r, name: 'x'.repeat(201) }), 'name', 'too_large'],
      [
        'a create_reminder due a negative number of days ahead',
        (r) => ({
          ...r,
          actions: [{ type: 'create_reminder', title: 'Call', due_in_days: -3, assignee: 'owner' }],
        }),
        'actions[0].due_in_days',
        'invalid_value',
      ],
      [
        'an unknown list',
        (r) => ({ ...r, actions: [{ type: 'set_membership', list: 'vip', op: 'add' }] }),
        'actions[0].list',
        'unknown_list',
      ],
      [
        'a condition on an unknown field',
        (r) => ({
          ...r,
          conditions: {
            conjunction: 'and',
            conditions: [{ field_id: 'fldNope', operator: 'is', value: 'x' }],
          },
        }),
        'conditions.conditions[0].field_id',
        'invalid_value',
      ],
    ];
    it.each(cases)('%s', async (_, mutate, field, reason) => {
      const before = eventCount();
      const res = await t
        .http()
        .post('/api/automations')
        .send(mutate(passedToGraveyard()))
        .expect(400);
      expect(res.body).toMatchObject({ reason, details: expect.objectContaining({ field }) });
      expect(eventCount()).toBe(before);
    });
  });

  it('runs a rule after commit: "stage changed to Passed" moves the investor to the graveyard', async () => {
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send(passedToGraveyard())
      .expect(201);
    const id = await createInvestor('Quiet Capital', { [ids.inv('stage')]: 'Engaged' });
    await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'main', op: 'add' })
      .expect(200);
    await setCell(id, ids.inv('stage'), 'Engaged', 'Passed');
    await settled();
    const lists = await t.member
      .http()
      .get(`/api/fundraising/memberships?record_id=${id}`)
      .expect(200);
    const graveyard = lists.body.memberships.find((m: { list: string }) => m.list === 'graveyard');
    expect(graveyard).toMatchObject({ record_id: id, source: 'automation', rule_id: rule.id });
    expect(lists.body.memberships.map((m: { list: string }) => m.list).sort()).toEqual([
      'all',
      'graveyard',
    ]);

    const runs = await t.member.http().get(`/api/automations/${rule.id}/runs`).expect(200);
    expect(runs.body.runs).toHaveLength(1);
    const run = runs.body.runs[0];
    expect(run).toMatchObject({
      rule_id: rule.id,
      rule_version: 1,
      status: 'succeeded',
      trigger: { record_id: id },
      effects: [
        { record_id: id, what: 'lists (move graveyard)', from: ['main'], to: ['graveyard'] },
      ],
      error: null,
    });
    const effect = t.core.store.readStream(`membership-${id}`).at(-1)!;
    expect(effect.metadata).toMatchObject({
      source: 'automation',
      correlation_id: run.id,
      causation_id: run.trigger.event_id,
      actor_name: rule.name,
    });
    const all = await t.http().get('/api/automation-runs?status=succeeded').expect(200);
    expect(all.body.runs.map((r: { id: string }) => r.id)).toContain(run.id);
    const listed = (await t.http().get('/api/automations').expect(200)).body.rules;
    expect(listed.find((r: { id: string }) => r.id === rule.id)).toMatchObject({
      runs: 1,
      last_run_at: expect.any(String),
    });

    // In the record's history and the activity feed, with the rule's name as the actor.
    const history = await t.member.http().get(`/api/fundraising/records/${id}/history`).expect(200);
    expect(history.body.entries[0]).toMatchObject({
      actor: { id: rule.id, name: rule.name },
      source: 'automation',
      correlation_id: run.id,
      summary: 'added to Graveyard',
    });
    const feed = await t.member.http().get('/api/activity?types=automation').expect(200);
    expect(feed.body.entries[0]).toMatchObject({
      actor: { name: rule.name },
      correlation_id: run.id,
      batch: { kind: 'automation', events: 4 },
    });
    expect(feed.body.entries[0].summary).toMatch(/^ran an automation/);

    // A write that changes nothing never fires, and neither does a change of another field.
    await setCell(id, ids.inv('stage'), 'Passed', 'Passed');
    await setCell(id, ids.inv('owner'), null, 'Ana');
    await settled();
    expect(
      (await t.http().get(`/api/automations/${rule.id}/runs`).expect(200)).body.runs,
    ).toHaveLength(1);
    await t.http().delete(`/api/automations/${rule.id}`).expect(200);
  });

  it('moves a record between lists by hand, as events; `all` is kept by the system', async () => {
    const id = await createInvestor('Hand Moved LP');
    const add = await t.member
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'longshot', op: 'add' })
      .expect(200);
    expect(add.body).toEqual({ record_id: id, from: [], to: ['longshot'] });
    const move = await t.member
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'follow_up', op: 'move' })
      .expect(200);
    expect(move.body).toEqual({ record_id: id, from: ['longshot'], to: ['follow_up'] });
    const before = eventCount();
    await t.member
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'follow_up', op: 'add' })
      .expect(200);
    expect(eventCount()).toBe(before);
    const bad = await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'all', op: 'remove' })
      .expect(400);
    expect(bad.body.details).toMatchObject({ field: 'list' });
    const unknown = await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'vip', op: 'add' })
      .expect(400);
    expect(unknown.body.reason).toBe('unknown_list');
    await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: 'recNope00000000000', list: 'main', op: 'add' })
      .expect(404);
    const follow = await t.http().get('/api/fundraising/memberships?list=follow_up').expect(200);
    expect(follow.body.memberships).toEqual([
      {
        record_id: id,
        list: 'follow_up',
        since: expect.any(String),
        source: 'api',
        rule_id: null,
        run_id: null,
      },
    ]);
    expect(t.core.store.readStream(`membership-${id}`).map((e) => e.type)).toEqual([
      'MembershipAdded',
      'MembershipRemoved',
      'MembershipAdded',
    ]);
  });
});
