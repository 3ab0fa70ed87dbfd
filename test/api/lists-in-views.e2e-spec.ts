import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/** A moment strictly after every event so far, so that the next write is after it. */
async function momentAfterLastWrite(): Promise<string> {
  const at = new Date().toISOString();
  while (new Date().toISOString() <= at) await new Promise((r) => setImmediate(r));
  return at;
}

type Rec = { id: string; values: Record<string, unknown> };

describe('lists in views: sorted, grouped, and as they were at a moment', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const recs: Record<string, string> = {};
  const name = (id: string) => Object.keys(recs).find((n) => recs[n] === id);
  const names = (records: Rec[]) => records.map((r) => name(r.id));
  const move = (who: string, list: string, op: 'add' | 'remove' | 'move' = 'add') =>
    t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: recs[who], list, op })
      .expect(200);
  const view = async (body: object) =>
    (
      await t
        .http()
        .post('/api/fundraising/views')
        .send({ table_id: ids.investors, personal: false, ...body })
        .expect(201)
    ).body.id as string;
  const records = async (viewId: string, query = '') =>
    (await t.http().get(`/api/fundraising/views/${viewId}/records${query}`).expect(200)).body as {
      records: Rec[];
      groups?: { value: unknown; count: number; field_id: string }[];
      fields: { id: string; name: string }[];
    };
  /** Only the records this suite made, in the order given. */
  const ours = (list: Rec[]) => list.filter((r) => name(r.id) !== undefined);

  beforeAll(async () => {
    ids = await baseIds(t);
    await t.http().post('/api/fundraising/lists').send({ name: 'Angels' }).expect(201);
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: ['Ash', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir'].map((n) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: `${n} LP` },
        })),
      })
      .expect(200);
    ['Ash', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir'].forEach(
      (n, i) => (recs[n] = created.body.applied[i].record_id),
    );
    await t.app.get(ProcessorRunner).settled();
  });

  it('sorts a view by its Lists column: main, follow-up, longshot, graveyard, then the fund’s lists, records in none first', async () => {
    await move('Ash', 'angels');
    await move('Birch', 'graveyard');
    await move('Cedar', 'main');
    await move('Dogwood', 'longshot');
    await move('Elm', 'follow_up');
    const id = await view({
      name: 'By list',
      filters: {
        conjunction: 'and',
        conditions: [{ field_id: ids.inv('name'), operator: 'contains', value: ' LP' }],
      },
      sorts: [{ field_id: 'lists', direction: 'asc' }],
    });
    expect(names(ours((await records(id)).records))).toEqual([
      'Fir',
      'Cedar',
      'Elm',
      'Dogwood',
      'Birch',
      'Ash',
    ]);
    // A list move is seen at once, though no record changed.
    await move('Fir', 'main');
    expect(names(ours((await records(id)).records)).slice(0, 2)).toEqual(['Cedar', 'Fir']);
    await move('Fir', 'main', 'remove');
    const desc = await t
      .http()
      .patch(`/api/fundraising/views/${id}`)
      .send({ sorts: [{ field_id: 'lists', direction: 'desc' }] })
      .expect(200);
    expect(desc.body.sorts).toEqual([{ field_id: 'lists', direction: 'desc' }]);
    expect(names(ours((await records(id)).records))).toEqual([
      'Ash',
      'Birch',
      'Dogwood',
      'Elm',
      'Cedar',
      'Fir',
    ]);
  });

  it('groups a view by its Lists column, one group per set of lists', async () => {
    const id = await view({
      name: 'Grouped by list',
      filters: {
        conjunction: 'and',
        conditions: [{ field_id: ids.inv('name'), operator: 'contains', value: ' LP' }],
      },
      group_by: [{ field_id: 'lists', direction: 'asc' }],
    });
    const page = await records(id);
    const groups = page.groups!.filter((g) => (g.value as string[]).length > 0);
    expect(groups.map((g) => [g.field_id, g.value, g.count])).toEqual([
      ['lists', ['main'], 1],
      ['lists', ['follow_up'], 1],
      ['lists', ['longshot'], 1],
      ['lists', ['graveyard'], 1],
      ['lists', ['angels'], 1],
    ]);
    await t
      .http()
      .patch(`/api/fundraising/views/${id}`)
      .send({ group_by: [{ field_id: 'nope', direction: 'asc' }] })
      .expect(400);
  });

  it('reads a view as of a moment with the lists as they were then, and the diff names the lists that changed', async () => {
    const inFollowUp = await view({
      name: 'Follow-up, as it was',
      filters: {
        conjunction: 'and',
        conditions: [{ field_id: 'lists', operator: 'in_list', value: 'follow_up' }],
      },
    });
    const then = await momentAfterLastWrite();
    await move('Elm', 'graveyard', 'move');
    await move('Ash', 'follow_up');
    expect(names(ours((await records(inFollowUp)).records))).toEqual(['Ash']);
    const past = await records(inFollowUp, `?as_of=${encodeURIComponent(then)}`);
    expect(names(ours(past.records))).toEqual(['Elm']);
    expect(ours(past.records)[0].values.lists).toEqual(['follow_up']);
    expect(past.fields.at(-1)).toMatchObject({ id: 'lists', name: 'Lists' });

    const diff = (
      await t
        .http()
        .get(`/api/fundraising/views/${inFollowUp}/diff?from=${encodeURIComponent(then)}`)
        .expect(200)
    ).body as { entered: Rec[]; left: Rec[] };
    expect(names(ours(diff.entered))).toEqual(['Ash']);
    expect(names(ours(diff.left))).toEqual(['Elm']);
    // In a view of every investor, the move is a change of the lists column.
    const all = await view({ name: 'Everyone' });
    const changed = (
      await t
        .http()
        .get(`/api/fundraising/views/${all}/diff?from=${encodeURIComponent(then)}`)
        .expect(200)
    ).body.changed as { id: string; changes: { field_id: string; from: unknown; to: unknown }[] }[];
    expect(changed.find((c) => c.id === recs.Elm)?.changes).toEqual([
      { field_id: 'lists', from: ['follow_up'], to: ['graveyard'] },
    ]);
  });

  it('a restore to a moment brings the lists back as they were, in its batch, and undoing it moves them again', async () => {
    const then = await momentAfterLastWrite();
    const before = (await t.http().get('/api/fundraising/memberships').expect(200)).body
      .memberships as { record_id: string; list: string }[];
    await move('Cedar', 'graveyard', 'move');
    await move('Fir', 'longshot');
    const preview = await t
      .http()
      .post('/api/fundraising/restore-preview')
      .send({ at: new Date(Date.parse(then)).toISOString() })
      .expect(200);
    expect(preview.body.lists).toEqual([
      { record_id: recs.Cedar, table_id: ids.investors, from: ['graveyard'], to: ['main'] },
      { record_id: recs.Fir, table_id: ids.investors, from: ['longshot'], to: [] },
    ]);
    expect(preview.body.counts).toMatchObject({ lists: 2, changes: 3 });
    expect(preview.body.names[recs.Cedar]).toBe('Cedar LP');
    const restored = await t
      .http()
      .post('/api/fundraising/restore')
      .send({ token: preview.body.token })
      .expect(200);
    expect(restored.body.changes).toBe(3);
    const after = (await t.http().get('/api/fundraising/memberships').expect(200)).body
      .memberships as { record_id: string; list: string }[];
    const key = (m: { record_id: string; list: string }) => `${m.record_id}:${m.list}`;
    expect(after.map(key).sort()).toEqual(before.map(key).sort());
    // The moves are the restore's: its batch, source and causation.
    const feed = await t
      .http()
      .get(`/api/activity/batches/${restored.body.correlation_id}`)
      .expect(200);
    expect(feed.body.total).toBe(3);
    await t
      .http()
      .post('/api/fundraising/undo')
      .send({ correlation_id: restored.body.correlation_id })
      .expect(200);
    const undone = (
      await t.http().get(`/api/fundraising/memberships?record_id=${recs.Cedar}`).expect(200)
    ).body.memberships as { list: string }[];
    expect(undone.map((m) => m.list).filter((l) => l !== 'all')).toEqual(['graveyard']);
  });

  it('rolling back a rule’s batch from the activity feed takes back its list moves with its cells', async () => {
    const { body: rule } = await t
      .http()
      .post('/api/automations')
      .send({
        name: 'Noted → Longshot',
        trigger: { type: 'record_updated', table_id: ids.investors, fields: [ids.inv('notes')] },
        conditions: null,
        actions: [
          { type: 'set_membership', list: 'longshot', op: 'move' },
          { type: 'set_field', field_id: ids.inv('stage'), value: 'Passed' },
        ],
        enabled: true,
      })
      .expect(201);
    const stageBefore =
      (await t.http().get(`/api/fundraising/records/${recs.Birch}`).expect(200)).body.values[
        ids.inv('stage')
      ] ?? null;
    const listsOf = async (who: string) =>
      (
        (await t.http().get(`/api/fundraising/memberships?record_id=${recs[who]}`).expect(200)).body
          .memberships as { list: string }[]
      )
        .map((m) => m.list)
        .filter((l) => l !== 'all')
        .sort();
    const before = await listsOf('Birch');
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: recs.Birch, field_id: ids.inv('notes'), from: null, to: 'met' },
        ],
      })
      .expect(200);
    await t.app.get(ProcessorRunner).settled();
    expect(await listsOf('Birch')).toEqual(['longshot']);
    const runs = (await t.http().get(`/api/automations/${rule.id}/runs`).expect(200)).body.runs as {
      id: string;
      status: string;
    }[];
    expect(runs[0].status).toBe('succeeded');
    await t.http().post(`/api/automations/${rule.id}/toggle`).send({ enabled: false }).expect(200);
    // The feed offers to roll the run's batch back.
    const feed = await t.http().get('/api/activity?types=automation').expect(200);
    const entry = (feed.body.entries as { correlation_id: string; can_roll_back: boolean }[]).find(
      (e) => e.correlation_id === runs[0].id,
    );
    expect(entry?.can_roll_back).toBe(true);

    const preview = await t
      .http()
      .post('/api/fundraising/restore-preview')
      .send({ correlation_id: runs[0].id })
      .expect(200);
    expect(preview.body.lists).toEqual([
      { record_id: recs.Birch, table_id: ids.investors, from: ['longshot'], to: before },
    ]);
    expect(preview.body.counts).toMatchObject({ to_change: 1, lists: 1 });
    const done = await t
      .http()
      .post('/api/fundraising/restore')
      .send({ token: preview.body.token })
      .expect(200);
    expect(done.body.changes).toBe(preview.body.counts.changes);
    expect(await listsOf('Birch')).toEqual(before);
    const after = (await t.http().get(`/api/fundraising/records/${recs.Birch}`).expect(200)).body;
    expect(after.values[ids.inv('stage')] ?? null).toBe(stageBefore);
  });
});
