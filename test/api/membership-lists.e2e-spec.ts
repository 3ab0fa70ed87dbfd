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

  it('filters a view and a rule on lists: in_list / not_in_list', async () => {
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: ['Oak LP', 'Pine LP', 'Elm LP'].map((name) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: name },
        })),
      })
      .expect(200);
    const [oak, pine, elm] = (created.body.applied as { record_id: string }[]).map(
      (a) => a.record_id,
    );
    const move = (record_id: string, list: string) =>
      t
        .http()
        .post('/api/fundraising/memberships')
        .send({ record_id, list, op: 'add' })
        .expect(200);
    await move(oak, 'follow_up');
    await move(pine, 'graveyard');

    const view = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Follow-up',
        personal: false,
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'lists', operator: 'in_list', value: 'follow_up' }],
        },
      })
      .expect(201);
    const shown = async () =>
      (
        (await t.http().get(`/api/fundraising/views/${view.body.id}/records`).expect(200)).body
          .records as { id: string }[]
      ).map((r) => r.id);
    expect(await shown()).toEqual([oak]);
    // A list move is seen at once, though no record changed.
    await move(elm, 'follow_up');
    expect((await shown()).sort()).toEqual([oak, elm].sort());
    const bad = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Bad',
        personal: false,
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: 'lists', operator: 'contains', value: 'follow_up' }],
        },
      })
      .expect(400);
    expect(bad.body.details).toMatchObject({ field: 'filters.conditions[0].operator' });

    // A rule's conditions speak the same language: a note for every edit of an investor not in the graveyard.
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send({
        name: 'Note edits outside the graveyard',
        trigger: { type: 'record_updated', table_id: ids.investors, fields: [ids.inv('notes')] },
        conditions: {
          conjunction: 'and',
          conditions: [{ field_id: 'lists', operator: 'not_in_list', value: 'graveyard' }],
        },
        actions: [{ type: 'log_note', text: 'edited' }],
        enabled: true,
      })
      .expect(201);
    for (const id of [oak, pine])
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [{ op: 'set', record_id: id, field_id: ids.inv('notes'), from: null, to: 'x' }],
        })
        .expect(200);
    await t.app.get(ProcessorRunner).settled();
    const runs = (await t.http().get(`/api/automations/${rule.id}/runs`).expect(200)).body.runs as {
      trigger: { record_id: string };
    }[];
    expect(runs.map((r) => r.trigger.record_id)).toEqual([oak]);
  });
});
