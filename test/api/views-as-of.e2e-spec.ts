import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/** A moment strictly after every event so far, so that the next write is after it. */
async function momentAfterLastWrite(): Promise<string> {
  const at = new Date().toISOString();
  while (new Date().toISOString() <= at) await new Promise((r) => setImmediate(r));
  return at;
}

describe('a view as of a past moment, and what moved in it since', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let viewId: string;
  let before: string;
  let middle: string;
  const recs: Record<string, string> = {};

  const names = (records: { values: Record<string, unknown> }[]) =>
    records.map((r) => r.values[ids.inv('name')]);
  const create = async (name: string, stage: string, target: number) => {
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'create',
            table_id: ids.investors,
            values: {
              [ids.inv('name')]: name,
              [ids.inv('stage')]: stage,
              [ids.inv('target_commitment')]: target,
            },
          },
        ],
      })
      .expect(200);
    recs[name] = (res.body.applied as { record_id: string }[])[0].record_id;
  };
  const set = (name: string, field: string, from: unknown, to: unknown) =>
    t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'set', record_id: recs[name], field_id: field, from, to }] })
      .expect(200);

  beforeAll(async () => {
    ids = await baseIds(t);
    const view = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Engaged, biggest first',
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: ids.inv('stage'), operator: 'is', value: 'Engaged' }],
        },
        sorts: [{ field_id: ids.inv('target_commitment'), direction: 'desc' }],
      })
      .expect(201);
    viewId = view.body.id;
    before = await momentAfterLastWrite();
    await create('Yale', 'Engaged', 25_000_000);
    await create('Acme', 'Lead', 1_000_000);
    await create('Harbor', 'Engaged', 5_000_000);
    middle = await momentAfterLastWrite();
    await set('Acme', ids.inv('stage'), 'Lead', 'Engaged');
    await set('Harbor', ids.inv('stage'), 'Engaged', 'Passed');
    await set('Yale', ids.inv('target_commitment'), 25_000_000, 30_000_000);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'archive', record_id: recs.Yale }] })
      .expect(200);
  });

  it('answers the view as it was then, read-only, with the moment and its schema', async () => {
    const res = await t.http().get(`/api/fundraising/views/${viewId}/records?as_of=${middle}`);
    expect(res.status).toBe(200);
    expect(names(res.body.records)).toEqual(['Yale', 'Harbor']);
    expect(res.body).toMatchObject({
      view_id: viewId,
      read_only: true,
      view_defined: 'then',
      total: 2,
      next_cursor: null,
      as_of: { at: middle },
    });
    expect(res.body.fields.map((f: { id: string }) => f.id)).toContain(ids.inv('stage'));
    const now = await t.http().get(`/api/fundraising/views/${viewId}/records`).expect(200);
    expect(names(now.body.records)).toEqual(['Acme']);
  });

  it('pages an as-of answer with the cursor it hands back', async () => {
    const first = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/records?as_of=${middle}&limit=1`)
      .expect(200);
    expect(names(first.body.records)).toEqual(['Yale']);
    const second = await t
      .http()
      .get(
        `/api/fundraising/views/${viewId}/records?as_of=${middle}&limit=1&cursor=${first.body.next_cursor}`,
      )
      .expect(200);
    expect(names(second.body.records)).toEqual(['Harbor']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('answers what entered, left and changed between two moments, matching the two as-of answers', async () => {
    const res = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/diff?from=${middle}`)
      .expect(200);
    expect(res.body.counts).toEqual({ entered: 1, left: 2, changed: 0 });
    expect(names(res.body.entered)).toEqual(['Acme']);
    expect(names(res.body.left).sort()).toEqual(['Harbor', 'Yale']);
    const since = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/diff?from=${before}&to=${middle}`)
      .expect(200);
    expect(names(since.body.entered)).toEqual(['Yale', 'Harbor']);
    expect(since.body.left).toEqual([]);
  });

  it('names the changed fields of a record in the view both times', async () => {
    const all = await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Everyone' })
      .expect(201);
    const res = await t
      .http()
      .get(`/api/fundraising/views/${all.body.id}/diff?from=${middle}`)
      .expect(200);
    const harbor = res.body.changed.find((c: { id: string }) => c.id === recs.Harbor);
    expect(harbor.changes).toEqual([{ field_id: ids.inv('stage'), from: 'Engaged', to: 'Passed' }]);
    expect(res.body.left.map((r: { id: string }) => r.id)).toEqual([recs.Yale]);
  });

  it.each([
    ['records?as_of=yesterday', 'as_of', 'not_a_timestamp'],
    ['records?as_of=', 'as_of', 'not_a_timestamp'],
    ['records?as_of=2999-01-01', 'as_of', 'in_the_future'],
    ['records?as_of=2001-01-01T00:00:00Z', 'as_of', 'before_first_event'],
    ['diff?from=2999-01-01', 'from', 'in_the_future'],
    ['diff?from=soon', 'from', 'not_a_timestamp'],
    ['diff', 'from', 'not_a_timestamp'],
    ['records?as_of=2026-01-01&tz=Mars/Olympus', 'tz', 'unknown_time_zone'],
    ['diff?from=2026-01-01&tz=Mars/Olympus', 'tz', 'unknown_time_zone'],
  ])('answers %s with a 400 naming %s', async (query, field, reason) => {
    const res = await t.http().get(`/api/fundraising/views/${viewId}/${query}`);
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe(reason);
    expect(res.body.details.field).toBe(field);
  });

  it('answers from after to with a 400 naming from', async () => {
    const res = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/diff?from=${middle}&to=${before}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ reason: 'from_after_to', details: { field: 'from' } });
  });
  it('reads the present filters of the view over the base then with definition=now, and refuses another definition', async () => {
    await t
      .http()
      .patch(`/api/fundraising/views/${viewId}`)
      .send({
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: ids.inv('stage'), operator: 'is', value: 'Lead' }],
        },
      })
      .expect(200);
    const then = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/records?as_of=${middle}`)
      .expect(200);
    expect(names(then.body.records)).toEqual(['Yale', 'Harbor']);
    expect(then.body.view_defined).toBe('then');
    const now = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/records?as_of=${middle}&definition=now`)
      .expect(200);
    expect(names(now.body.records)).toEqual(['Acme']);
    expect(now.body.view_defined).toBe('now');
    const bad = await t
      .http()
      .get(`/api/fundraising/views/${viewId}/records?as_of=${middle}&definition=today`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ reason: 'invalid_value', details: { field: 'definition' } });
  });
});
