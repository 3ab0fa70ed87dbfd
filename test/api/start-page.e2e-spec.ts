import { apiSuite } from '../support/api-suite';

/** Each person's own start page: the grid until they choose the dashboard, kept as an event. */
describe('GET, PATCH /api/auth/me/settings', () => {
  const t = apiSuite({ member: true });

  it('starts at the grid and keeps a choice of the dashboard, for that person only', async () => {
    expect((await t.member.http().get('/api/auth/me/settings').expect(200)).body).toEqual({
      start_page: 'grid',
    });
    const chosen = await t.member
      .http()
      .patch('/api/auth/me/settings')
      .send({ start_page: 'dashboard' })
      .expect(200);
    expect(chosen.body).toEqual({ start_page: 'dashboard' });
    expect((await t.member.http().get('/api/auth/me/settings').expect(200)).body).toEqual({
      start_page: 'dashboard',
    });
    expect((await t.http().get('/api/auth/me/settings').expect(200)).body).toEqual({
      start_page: 'grid',
    });
    // In the person's own activity, as every change to an account is.
    const feed = (await t.member.http().get('/api/activity?types=StartPageChosen').expect(200))
      .body as { entries: { actor: { id: string } }[] };
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0].actor.id).toBe(t.member.id);
    // The same page again appends nothing.
    await t.member
      .http()
      .patch('/api/auth/me/settings')
      .send({ start_page: 'dashboard' })
      .expect(200);
    const again = (await t.member.http().get('/api/activity?types=StartPageChosen').expect(200))
      .body as { entries: unknown[] };
    expect(again.entries).toHaveLength(1);
  });

  it('is for someone signed in', async () => {
    await t.anon().get('/api/auth/me/settings').expect(401);
    await t.anon().patch('/api/auth/me/settings').send({ start_page: 'grid' }).expect(401);
  });

  it.each([
    [{ start_page: 'settings' }, 'invalid_value'],
    [{ start_page: 7 }, 'validation_failed'],
    [{}, 'validation_failed'],
    [{ start_page: 'grid', theme: 'dark' }, 'validation_failed'],
  ])('refuses %j with a 400 naming start_page or the unknown key', async (body, reason) => {
    const res = await t.member.http().patch('/api/auth/me/settings').send(body);
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe(reason);
    expect(JSON.stringify(res.body.details)).toMatch(/start_page|theme/);
  });
});
