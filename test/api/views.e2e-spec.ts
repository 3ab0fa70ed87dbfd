import { apiSuite } from '../support/api-suite';
import { baseIds, createMember, type TestUser } from '../support/test-app';

describe('saved views API', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let ann: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    ids = await baseIds(t);
    ann = await createMember(t, { name: 'Ann Member' });
    bob = await createMember(t, { name: 'Bob Member' });
    const changes = [
      ['Yale Endowment', 'Endowment', 'Engaged', 25_000_000, ['Anchor']],
      ['Acme Family Office', 'Family office', 'Lead', 1_000_000, ['ESG']],
      ['Harbor Pension', 'Pension', 'Committed', 5_000_000, []],
      ['Blue Foundation', 'Foundation', 'Lead', 2_500_000, ['Anchor', 'ESG']],
    ].map(([name, type, stage, amount, tags]) => ({
      op: 'create',
      table_id: ids.investors,
      values: {
        [ids.inv('name')]: name,
        [ids.inv('type')]: type,
        [ids.inv('stage')]: stage,
        [ids.inv('target_commitment')]: amount,
        [ids.inv('tags')]: tags,
      },
    }));
    await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
  });

  const names = (records: { values: Record<string, unknown> }[]) =>
    records.map((r) => r.values[ids.inv('name')]);

  it('creates a view with nested filters, sorts and layout, and answers the view with its id', async () => {
    const body = {
      table_id: ids.investors,
      name: 'Big tickets',
      personal: false,
      filters: {
        conjunction: 'and',
        conditions: [
          { field_id: ids.inv('target_commitment'), operator: '>=', value: 2_000_000 },
          {
            conjunction: 'or',
            conditions: [
              { field_id: ids.inv('stage'), operator: 'is', value: 'Committed' },
              {
                conjunction: 'and',
                conditions: [
                  { field_id: ids.inv('tags'), operator: 'has_any_of', value: ['Anchor'] },
                ],
              },
            ],
          },
        ],
      },
      sorts: [{ field_id: ids.inv('target_commitment'), direction: 'desc' }],
      hidden_fields: [ids.inv('notes')],
      field_order: [ids.inv('name'), ids.inv('target_commitment')],
      field_widths: { [ids.inv('name')]: 260 },
      frozen_columns: 1,
    };
    const res = await t.http().post('/api/fundraising/views').send(body).expect(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^viw/),
      table_id: ids.investors,
      name: 'Big tickets',
      personal: false,
      locked: false,
      filters: body.filters,
      sorts: body.sorts,
      hidden_fields: body.hidden_fields,
      frozen_columns: 1,
      version: expect.any(Number),
    });
    const records = await t.http().get(`/api/fundraising/views/${res.body.id}/records`).expect(200);
    expect(names(records.body.records)).toEqual([
      'Yale Endowment',
      'Harbor Pension',
      'Blue Foundation',
    ]);
    expect(records.body).toMatchObject({ total: 3, next_cursor: null });
    const state = await t.http().get('/api/fundraising/state').expect(200);
    expect(state.body.views.map((v: { id: string }) => v.id)).toContain(res.body.id);
  });

  it('keeps the summary bar with the view, freezes the primary field unless told otherwise, and refuses a summary that does not fit', async () => {
    const created = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Totals',
        summaries: { [ids.inv('target_commitment')]: 'sum', [ids.inv('name')]: 'filled' },
      })
      .expect(201);
    expect(created.body).toMatchObject({
      frozen_columns: 1,
      summaries: { [ids.inv('target_commitment')]: 'sum', [ids.inv('name')]: 'filled' },
    });
    const changed = await t
      .http()
      .patch(`/api/fundraising/views/${created.body.id}`)
      .send({ summaries: { [ids.inv('target_commitment')]: 'average' }, frozen_columns: 0 })
      .expect(200);
    expect(changed.body).toMatchObject({
      frozen_columns: 0,
      summaries: { [ids.inv('target_commitment')]: 'average' },
    });
    const before = await t.http().get(`/api/fundraising/views/${created.body.id}`).expect(200);
    const bad = await t
      .http()
      .patch(`/api/fundraising/views/${created.body.id}`)
      .send({ summaries: { [ids.inv('name')]: 'sum' } })
      .expect(400);
    expect(bad.body.details).toMatchObject({
      field: `summaries.${ids.inv('name')}`,
      reason: 'summary_does_not_fit',
    });
    expect(bad.body.message).toMatch(/"sum" does not fit field "Name" \(text\)/);
    await t
      .http()
      .patch(`/api/fundraising/views/${created.body.id}`)
      .send({ summaries: ['sum'] })
      .expect(400);
    expect(
      (await t.http().get(`/api/fundraising/views/${created.body.id}`).expect(200)).body,
    ).toEqual(before.body);
  });

  it.each([
    [
      { conjunction: 'and', conditions: [{ field_id: 'fld_nope', operator: 'is', value: 'x' }] },
      'filters.conditions[0].field_id',
      /unknown field "fld_nope"/,
    ],
    [
      {
        conjunction: 'and',
        conditions: [{ field_id: 'AMOUNT', operator: 'contains', value: 'x' }],
      },
      'filters.conditions[0].operator',
      /"contains" does not fit field "Target commitment" \(currency\)/,
    ],
    [
      {
        conjunction: 'or',
        conditions: [
          {
            conjunction: 'and',
            conditions: [{ field_id: 'AMOUNT', operator: '>', value: 'lots' }],
          },
        ],
      },
      'filters.conditions[0].conditions[0].value',
      /needs a number/,
    ],
    [
      { conjunction: 'and', conditions: [{ field_id: 'STAGE', operator: 'is', value: 'Closed' }] },
      'filters.conditions[0].value',
      /"Closed" is not a choice/,
    ],
  ])('refuses a bad filter with a 400 naming it (%#)', async (filters, path, message) => {
    const f = JSON.parse(
      JSON.stringify(filters)
        .replace(/AMOUNT/g, ids.inv('target_commitment'))
        .replace(/STAGE/g, ids.inv('stage')),
    );
    const res = await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Bad', filters: f })
      .expect(400);
    expect(res.body.message).toMatch(message);
    expect(res.body.message.startsWith(`${path}:`)).toBe(true);
    expect(res.body.details.field).toBe(path);
  });

  it('refuses a bad sort and an unknown setting', async () => {
    const sort = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Bad',
        sorts: [{ field_id: ids.inv('name'), direction: 'sideways' }],
      })
      .expect(400);
    expect(sort.body.message).toBe('sorts[0].direction: must be "asc" or "desc"');
    await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Bad', colour: 'red' })
      .expect(400);
  });

  describe('the config object is checked like the rest of the body', () => {
    /** JSON text of `levels` nested objects (written by hand: the test client's serialiser recurses). */
    const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const send = async (json: string, as = t.http) => {
      const before = t.core.store.lastPosition();
      const res = await as()
        .post('/api/fundraising/views')
        .set('Content-Type', 'application/json')
        .send(json);
      expect(t.core.store.lastPosition()).toBe(before);
      return res;
    };
    const refusal = (body: Record<string, unknown>, as = t.http) =>
      send(JSON.stringify({ table_id: ids.investors, name: 'Shape', ...body }), as);

    it('refuses an unknown key inside config with 400 naming it, for members and admins', async () => {
      for (const as of [t.http, ann.http]) {
        const res = await refusal({ config: { colour: 'red', sorts: [] } }, as);
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/^config\.colour: is not a view setting/);
        expect(res.body.details).toMatchObject({ field: 'config.colour', reason: 'unknown_key' });
      }
    });

    it.each([[20], [1_000]])(
      'refuses a config nested %i levels deep with 400 naming where',
      async (levels) => {
        const res = await send(
          `{"table_id":"${ids.investors}","name":"Deep","config":{"field_widths":${nested(levels)}}}`,
        );
        expect(res.status).toBe(400);
        expect(res.body.details).toMatchObject({ reason: 'too_deep', max_depth: 16 });
        expect(res.body.details.field).toMatch(/^config\.field_widths\.a\.a/);
      },
    );

    it('refuses deeply nested filters given at the top level too', async () => {
      const group = `${'{"conjunction":"and","conditions":['.repeat(50)}${']}'.repeat(50)}`;
      const res = await send(`{"table_id":"${ids.investors}","name":"Deep","filters":${group}}`);
      expect(res.status).toBe(400);
      expect(res.body.details).toMatchObject({
        reason: 'too_deep',
        field: expect.stringMatching(/^config\.filters\.conditions\[0\]/),
      });
    });

    it('refuses a body nested 100,000 levels deep as too deep (not as bad JSON, never a 500)', async () => {
      const res = await send(
        `{"table_id":"${ids.investors}","name":"Deep","config":{"field_widths":${nested(100_000)}}}`,
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        message: 'the request body is nested too deeply',
        details: { field: 'body', reason: 'too_deep' },
      });
    });

    it('still takes every known setting, and a PUT of a view as the API answered it', async () => {
      const { body: view } = await t
        .http()
        .post('/api/fundraising/views')
        .send({
          table_id: ids.investors,
          name: 'All settings',
          config: {
            hidden_fields: [ids.inv('notes')],
            row_height: 'tall',
            frozen_columns: 2,
            field_widths: { [ids.inv('name')]: 300 },
            field_order: [ids.inv('name')],
            sorts: [],
            filters: null,
          },
        })
        .expect(201);
      await t
        .http()
        .put(`/api/fundraising/views/${view.id}`)
        .send({ table_id: ids.investors, name: view.name, config: view.config })
        .expect(200);
    });
  });

  it('renames and changes a view with PATCH, and deletes it; every change is an event', async () => {
    const { body: view } = await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Leads' })
      .expect(201);
    const before = t.core.store.lastPosition();
    const res = await ann
      .http()
      .patch(`/api/fundraising/views/${view.id}`)
      .send({
        name: 'Open leads',
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: ids.inv('stage'), operator: 'is', value: 'Lead' }],
        },
        sorts: [{ field_id: ids.inv('name'), direction: 'asc' }],
      })
      .expect(200);
    expect(res.body).toMatchObject({
      name: 'Open leads',
      sorts: [{ field_id: ids.inv('name'), direction: 'asc' }],
    });
    const events = t.core.store.readStream(`view-${view.id}`);
    expect(events.at(-1)!.type).toBe('ViewSaved');
    expect(events.at(-1)!.position).toBeGreaterThan(before);
    expect(events.at(-1)!.metadata.actor_id).toBe(ann.id);
    const records = await t.http().get(`/api/fundraising/views/${view.id}/records`).expect(200);
    expect(names(records.body.records)).toEqual(['Acme Family Office', 'Blue Foundation']);
    await t.http().delete(`/api/fundraising/views/${view.id}`).expect(200);
    await t.http().get(`/api/fundraising/views/${view.id}`).expect(404);
    expect(t.core.store.readStream(`view-${view.id}`).at(-1)!.type).toBe('ViewDeleted');
  });

  it('exports a view filtered and sorted by a formula field', async () => {
    const { body: fee } = await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({
        name: 'Two percent',
        type: 'formula',
        options: { formula: '{Target commitment} * 0.02' },
      })
      .expect(201);
    const { body: view } = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'Fees',
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: fee.id, operator: '>', value: 40_000 }],
        },
        sorts: [{ field_id: fee.id, direction: 'asc' }],
      })
      .expect(201);
    const res = await t.http().get(`/api/fundraising/views/${view.id}/export.csv`).expect(200);
    const names = res.text
      .split('\r\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(',')[0]);
    expect(names).toEqual(['Blue Foundation', 'Harbor Pension', 'Yale Endowment']);
    await ann.http().get(`/api/fundraising/views/${view.id}/export.csv`).expect(200);
  });

  it('pages a view with an opaque cursor', async () => {
    const { body: view } = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'By name',
        sorts: [{ field_id: ids.inv('name'), direction: 'asc' }],
      })
      .expect(201);
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: {
        body: { records: { values: Record<string, unknown> }[]; next_cursor: string | null };
      } = await t
        .http()
        .get(`/api/fundraising/views/${view.id}/records`)
        .query({ limit: 3, cursor })
        .expect(200);
      seen.push(...(names(page.body.records) as string[]));
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual([...seen].sort());
    expect(seen).toHaveLength(4);
    await t
      .http()
      .get(`/api/fundraising/views/${view.id}/records`)
      .query({ cursor: 'garbage!' })
      .expect(400);
    await t.http().get(`/api/fundraising/views/${view.id}/records`).query({ limit: 0 }).expect(400);
  });

  describe('personal views', () => {
    let mine: { id: string };
    beforeAll(async () => {
      mine = (
        await ann
          .http()
          .post('/api/fundraising/views')
          .send({ table_id: ids.investors, name: 'Ann only', personal: true })
          .expect(201)
      ).body;
    });

    it('belong to their creator', async () => {
      const res = await ann.http().get(`/api/fundraising/views/${mine.id}`).expect(200);
      expect(res.body).toMatchObject({ personal: true, owner_id: ann.id });
      const state = await ann.http().get('/api/fundraising/state').expect(200);
      expect(state.body.views.map((v: { id: string }) => v.id)).toContain(mine.id);
    });

    it('are invisible to everyone else, admins included (404)', async () => {
      for (const who of [bob.http, t.http]) {
        await who().get(`/api/fundraising/views/${mine.id}`).expect(404);
        await who().get(`/api/fundraising/views/${mine.id}/records`).expect(404);
        await who().patch(`/api/fundraising/views/${mine.id}`).send({ name: 'Taken' }).expect(404);
        await who()
          .put(`/api/fundraising/views/${mine.id}`)
          .send({ table_id: ids.investors, name: 'Taken', config: {} })
          .expect(404);
        await who().delete(`/api/fundraising/views/${mine.id}`).expect(404);
        await who().get(`/api/fundraising/views/${mine.id}/export.csv`).expect(404);
        const state = await who().get('/api/fundraising/state').expect(200);
        expect(state.body.views.map((v: { id: string }) => v.id)).not.toContain(mine.id);
        const list = await who()
          .get('/api/fundraising/views')
          .query({ table_id: ids.investors })
          .expect(200);
        expect(list.body.views.map((v: { id: string }) => v.id)).not.toContain(mine.id);
      }
    });

    it('survive a whole-document PUT by someone else', async () => {
      const state = await bob.http().get('/api/fundraising/state').expect(200);
      await bob
        .http()
        .put('/api/fundraising/state')
        .send({
          expected_version: state.body.version,
          state: { tables: [], views: state.body.views },
        })
        .expect(200);
      await ann.http().get(`/api/fundraising/views/${mine.id}`).expect(200);
    });
  });

  it('finds text stored with a decomposed accent (NFD) by a filter typed with the composed one (NFC), and back', async () => {
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'create',
            table_id: ids.investors,
            values: { [ids.inv('name')]: 'Cafe\u0301 Society Fund' },
          },
          {
            op: 'create',
            table_id: ids.investors,
            values: { [ids.inv('name')]: 'Caf\u00e9 Royal LP' },
          },
        ],
      })
      .expect(200);
    for (const needle of ['caf\u00e9', 'CAFE\u0301']) {
      const { body: view } = await ann
        .http()
        .post('/api/fundraising/views')
        .send({
          table_id: ids.investors,
          name: `Cafes ${needle.length}`,
          personal: true,
          filters: {
            conjunction: 'and',
            conditions: [{ field_id: ids.inv('name'), operator: 'contains', value: needle }],
          },
        })
        .expect(201);
      const res = await ann.http().get(`/api/fundraising/views/${view.id}/records`).expect(200);
      expect(names(res.body.records)).toEqual(['Cafe\u0301 Society Fund', 'Caf\u00e9 Royal LP']);
    }
  });

  describe('locked views', () => {
    it('only admins lock them, and then only admins change or delete them (403)', async () => {
      const { body: view } = await ann
        .http()
        .post('/api/fundraising/views')
        .send({ table_id: ids.investors, name: 'Pipeline' })
        .expect(201);
      const refused = await ann
        .http()
        .patch(`/api/fundraising/views/${view.id}`)
        .send({ locked: true })
        .expect(403);
      expect(refused.body.message).toBe('only an admin can lock or unlock a view');
      await t.http().patch(`/api/fundraising/views/${view.id}`).send({ locked: true }).expect(200);
      await bob
        .http()
        .patch(`/api/fundraising/views/${view.id}`)
        .send({ name: 'Mine now' })
        .expect(403);
      await bob
        .http()
        .put(`/api/fundraising/views/${view.id}`)
        .send({ table_id: ids.investors, name: 'Mine now', config: {} })
        .expect(403);
      await bob.http().delete(`/api/fundraising/views/${view.id}`).expect(403);
      const ok = await t
        .http()
        .patch(`/api/fundraising/views/${view.id}`)
        .send({ name: 'Pipeline (admin)' })
        .expect(200);
      expect(ok.body).toMatchObject({ name: 'Pipeline (admin)', locked: true });
    });

    it('lets a member PUT back an unchanged document while a locked view exists: a no-op 200, nothing appended', async () => {
      const { body: view } = await t
        .http()
        .post('/api/fundraising/views')
        .send({
          table_id: ids.investors,
          name: 'Board pipeline',
          locked: true,
          sorts: [{ field_id: ids.inv('name'), direction: 'asc' }],
        })
        .expect(201);
      const state = (await bob.http().get('/api/fundraising/state').expect(200)).body;
      expect(state.views.find((v: { id: string }) => v.id === view.id).config.locked).toBe(true);
      const before = t.core.store.lastPosition();
      const res = await bob
        .http()
        .put('/api/fundraising/state')
        .send({ expected_version: state.version, state })
        .expect(200);
      expect(res.body).toEqual({ version: before, commands: 0 });
      expect(t.core.store.lastPosition()).toBe(before);
      // A change to the locked view in the same kind of document is still the admins' alone.
      const changed = {
        ...state,
        views: state.views.map((v: { id: string; name: string }) =>
          v.id === view.id ? { ...v, name: 'Mine now' } : v,
        ),
      };
      const refused = await bob
        .http()
        .put('/api/fundraising/state')
        .send({ expected_version: state.version, state: changed })
        .expect(403);
      expect(refused.body.details).toMatchObject({ field: 'view_id', view_id: view.id });
      expect(t.core.store.lastPosition()).toBe(before);
    });
  });

  it("keeps the grid's layout save (PUT) working on the default view, which cannot be deleted", async () => {
    const state = await ann.http().get('/api/fundraising/state').expect(200);
    const grid = state.body.views.find(
      (v: { table_id: string; config: { default?: boolean } }) =>
        v.table_id === ids.investors && v.config.default,
    );
    const config = { ...grid.config, field_widths: { [ids.inv('name')]: 321 } };
    const res = await ann
      .http()
      .put(`/api/fundraising/views/${grid.id}`)
      .send({ table_id: ids.investors, name: grid.name, config })
      .expect(200);
    expect(res.body.view.config).toMatchObject({
      default: true,
      field_widths: { [ids.inv('name')]: 321 },
    });
    const del = await t.http().delete(`/api/fundraising/views/${grid.id}`).expect(409);
    expect(del.body.message).toMatch(/default view/);
  });
});
