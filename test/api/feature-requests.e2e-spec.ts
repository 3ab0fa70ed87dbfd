import { apiSuite } from '../support/api-suite';

/** The team's feature requests: filed and voted on by anyone, their status set by admins, as events. */
describe('/api/feature-requests', () => {
  const t = apiSuite({ member: true });

  const file = async (title: string, body?: string) =>
    (
      await t.member
        .http()
        .post('/api/feature-requests')
        .send({ title, ...(body === undefined ? {} : { body }) })
        .expect(201)
    ).body as { id: string };

  it('files, votes once a person, and lists by status with the most votes first', async () => {
    const dark = await file('Dark mode', 'for late nights');
    const csv = await file('CSV of the funnel');
    expect(dark).toMatchObject({ title: 'Dark mode', status: 'open', votes: 0, voted: false });
    await t.member.http().post(`/api/feature-requests/${csv.id}/vote`).expect(200);
    // A second vote by the same person counts once.
    const again = await t.member.http().post(`/api/feature-requests/${csv.id}/vote`).expect(200);
    expect(again.body).toMatchObject({ votes: 1, voted: true });
    await t.http().post(`/api/feature-requests/${csv.id}/vote`).expect(200);
    const open = (await t.member.http().get('/api/feature-requests?status=open').expect(200)).body;
    expect(open.requests.map((r: { title: string; votes: number }) => [r.title, r.votes])).toEqual([
      ['CSV of the funnel', 2],
      ['Dark mode', 0],
    ]);
    const taken = await t.member.http().delete(`/api/feature-requests/${csv.id}/vote`).expect(200);
    expect(taken.body).toMatchObject({ votes: 1, voted: false });
  });

  it('lets an admin set the status and the author edit the text; shows each in the feed', async () => {
    const req = await file('Reminders by email');
    const moved = await t
      .http()
      .patch(`/api/feature-requests/${req.id}`)
      .send({ status: 'planned' })
      .expect(200);
    expect(moved.body.status).toBe('planned');
    await t.member
      .http()
      .patch(`/api/feature-requests/${req.id}`)
      .send({ body: 'a daily digest' })
      .expect(200);
    const planned = (await t.http().get('/api/feature-requests?status=planned').expect(200)).body;
    expect(planned.requests).toEqual([
      expect.objectContaining({ id: req.id, body: 'a daily digest', status: 'planned' }),
    ]);
    const feed = (
      await t.member
        .http()
        .get('/api/activity?types=FeatureRequestFiled,FeatureRequestStatusChanged&limit=50')
        .expect(200)
    ).body as { entries: { type: string; summary: string }[] };
    expect(feed.entries.map((e) => e.type)).toContain('FeatureRequestStatusChanged');
    expect(feed.entries.find((e) => e.type === 'FeatureRequestStatusChanged')!.summary).toMatch(
      /Reminders by email/,
    );
  });

  it('refuses a member the status (403) and another member the author’s text (403)', async () => {
    const req = await file('Kanban colours');
    const status = await t.member
      .http()
      .patch(`/api/feature-requests/${req.id}`)
      .send({ status: 'done' });
    expect(status.status).toBe(403);
    expect(status.body.details.field).toBe('status');
    // The admin may rewrite anyone's text.
    await t
      .http()
      .patch(`/api/feature-requests/${req.id}`)
      .send({ title: 'Board colours' })
      .expect(200);
  });

  it.each([
    [{ title: '' }, 'title', 'missing_value'],
    [{ title: '   ' }, 'title', 'missing_value'],
    [{ title: 'x'.repeat(201) }, 'title', 'too_large'],
    [{ title: 'ok', body: 'x'.repeat(20_001) }, 'body', 'too_large'],
    [{}, 'title', 'validation_failed'],
    [{ title: 5 }, 'title', 'validation_failed'],
    [{ title: 'ok', votes: 3 }, 'votes', 'validation_failed'],
  ])('refuses the request %j with a 400 naming %s', async (body, field, reason) => {
    const res = await t.member.http().post('/api/feature-requests').send(body);
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe(reason);
    expect(JSON.stringify(res.body.details)).toContain(field);
  });

  it('refuses an unknown status (400) and an unknown request (404)', async () => {
    const req = await file('Audit log export');
    const bad = await t.http().patch(`/api/feature-requests/${req.id}`).send({ status: 'someday' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ reason: 'invalid_value', details: { field: 'status' } });
    const list = await t.http().get('/api/feature-requests?status=someday');
    expect(list.status).toBe(400);
    expect(list.body.details.field).toBe('status');
    await t.http().patch('/api/feature-requests/frq_nothing').send({ title: 'x' }).expect(404);
    await t.http().post('/api/feature-requests/frq_nothing/vote').expect(404);
    await t.anon().get('/api/feature-requests').expect(401);
  });
});
