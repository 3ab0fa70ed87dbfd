import { SearchIndexer } from '../../apps/api/src/capabilities/search/search.indexer';
import { apiSuite } from '../support/api-suite';
import { coreOf } from '../support/core-handles';
import { baseIds, startTestApp } from '../support/test-app';

describe('GET /api/search', () => {
  const t = apiSuite({ member: true });
  let ids: Awaited<ReturnType<typeof baseIds>>;

  beforeAll(async () => {
    ids = await baseIds(t);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { name: 'Zürich Cantonal Pension', email: null },
          { name: 'Helvetia Family Office', email: null },
        ].map((v, i) => ({
          op: 'create',
          table_id: ids.investors,
          record_id: `recsearch0000000${i}`,
          values: { [ids.inv('name')]: v.name },
        })),
      })
      .expect(200);
  });

  it('finds an investor by part of its name, without accents, for a member too', async () => {
    const res = await t.member.http().get('/api/search').query({ q: 'zurich pen' }).expect(200);
    expect(res.body.results).toEqual([
      {
        table_id: ids.investors,
        record_id: 'recsearch00000000',
        field_id: ids.inv('name'),
        snippet: 'Zürich Cantonal Pension',
        score: 3,
        title: 'Zürich Cantonal Pension',
        table_name: 'Investors',
      },
    ]);
  });

  it('narrows to the tables asked for and leaves archived records out unless asked', async () => {
    const contacts = (await baseIds(t)).contacts;
    const other = await t.http().get('/api/search').query({ q: 'helvetia', tables: contacts });
    expect(other.body.results).toEqual([]);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'archive', record_id: 'recsearch00000001' }] })
      .expect(200);
    const live = await t.http().get('/api/search').query({ q: 'helvetia' }).expect(200);
    expect(live.body.results).toEqual([]);
    const all = await t
      .http()
      .get('/api/search')
      .query({ q: 'helvetia', archived: 'true' })
      .expect(200);
    expect(all.body.results.map((r: { record_id: string }) => r.record_id)).toEqual([
      'recsearch00000001',
    ]);
  });

  it.each([
    [{}, 'q'],
    [{ q: '   ' }, 'q'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ q: 'alpine', limit: '101' }, 'limit'],
    [{ q: 'alpine', limit: 'ten' }, 'limit'],
    [{ q: 'alpine', tables: 'tbl_nope' }, 'tables'],
    [{ q: 'alpine', archived: 'yes' }, 'archived'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const res = await t.http().get('/api/search').query(query).expect(400);
    expect(res.body).toMatchObject({ reason: 'invalid_value', details: { field } });
  });

  it('finds what was written just before it, after a large batch too (the index is read after commit)', async () => {
    const names = Array.from({ length: 3_000 }, (_, i) => `Batch Investor ${i}`);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: names.map((n) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: n },
        })),
      })
      .expect(200);
    const res = await t.http().get('/api/search').query({ q: 'batch investor 2999' }).expect(200);
    expect(res.body.results.map((r: { title: string }) => r.title)).toEqual([
      'Batch Investor 2999',
    ]);
    expect(t.app.get(SearchIndexer).lag()).toBe(0);
  });

  it('is for signed-in people only', async () => {
    await t.anon().get('/api/search').query({ q: 'alpine' }).expect(401);
  });
});

describe('the search indexer after its database is gone', () => {
  it('a wake that comes once the database is closed under the app throws nothing', async () => {
    // Given an app whose indexer is woken by a commit (it gathers commits for 100 ms first)
    const t = await startTestApp();
    try {
      const ids = await baseIds(t);
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Late LP' } },
          ],
        })
        .expect(200);
      // When the database closes under it before the wake (the security spec breaks it so)
      coreOf(t.app).db.close();
      // Then the wake finds no database and waits for the next commit: nothing is thrown from
      // its timer (which Jest, like the process, takes as an uncaught error)
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});
