import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

/** Lookups, rollups and counts over links, computed inline and across tables. */
describe('computed link fields API', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let deals: string;
  const com = (role: string) => ids.field('commitments', `commitment.${role}`);

  const addField = (tableId: string, body: Record<string, unknown>, status = 201) =>
    t.http().post(`/api/fundraising/tables/${tableId}/fields`).send(body).expect(status);
  const change = (changes: Record<string, unknown>[]) =>
    t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
  const create = async (tableId: string, values: Record<string, unknown>) =>
    (await change([{ op: 'create', table_id: tableId, values }])).body.applied[0]
      .record_id as string;
  const valuesOf = async (tableId: string, recordId: string) => {
    const state = await t.http().get('/api/fundraising/state').expect(200);
    return state.body.tables
      .find((x: { id: string }) => x.id === tableId)
      .records.find((r: { id: string }) => r.id === recordId).values as Record<string, unknown>;
  };
  const eventCount = () =>
    (t.core.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

  beforeAll(async () => {
    ids = await baseIds(t);
    deals = (
      await addField(ids.investors, {
        name: 'Deals',
        type: 'link',
        options: { table_id: ids.commitments },
      })
    ).body.id;
  });

  it('computes a rollup, a count and a lookup, and follows an edit of a linked record', async () => {
    const hard = {
      conjunction: 'or',
      conditions: ['Hard', 'Signed', 'Funded'].map((s) => ({
        field_id: com('status'),
        operator: 'is',
        value: s,
      })),
    };
    const total = (
      await addField(ids.investors, {
        name: 'Total committed',
        type: 'rollup',
        options: {
          link_field_id: deals,
          target_field_id: com('amount'),
          formula: 'SUM(values)',
          conditions: hard,
        },
      })
    ).body;
    expect(total.options).toMatchObject({ formula: 'SUM(values)', result_type: 'number' });
    const { body: count } = await addField(ids.investors, {
      name: 'Deal count',
      type: 'count',
      options: { link_field_id: deals },
    });
    const { body: names } = await addField(ids.investors, {
      name: 'Deal names',
      type: 'lookup',
      options: { link_field_id: deals, target_field_id: com('name') },
    });
    const { body: twice } = await addField(ids.investors, {
      name: 'Twice',
      type: 'formula',
      options: { formula: '{Total committed} * 2' },
    });
    const c1 = await create(ids.commitments, {
      [com('name')]: 'Yale I',
      [com('amount')]: 100,
      [com('status')]: 'Hard',
    });
    const c2 = await create(ids.commitments, {
      [com('name')]: 'Yale II',
      [com('amount')]: 50,
      [com('status')]: 'Soft',
    });
    const yale = await create(ids.investors, { [ids.inv('name')]: 'Yale', [deals]: [c1, c2] });
    const harvard = await create(ids.investors, { [ids.inv('name')]: 'Harvard' });
    expect(await valuesOf(ids.investors, yale)).toMatchObject({
      [total.id]: 100,
      [count.id]: 2,
      [names.id]: ['Yale I', 'Yale II'],
      [twice.id]: 200,
    });

    // An edit of a linked record recomputes the rollup and the formula reading it, in the same write.
    await change([
      { op: 'set', record_id: c2, field_id: com('status'), from: 'Soft', to: 'Signed' },
    ]);
    await change([{ op: 'set', record_id: c1, field_id: com('amount'), from: 100, to: 120 }]);
    expect(await valuesOf(ids.investors, yale)).toMatchObject({ [total.id]: 170, [twice.id]: 340 });

    // Archiving removes a linked record from the computation; unarchiving brings it back.
    await change([{ op: 'archive', record_id: c1 }]);
    expect(await valuesOf(ids.investors, yale)).toMatchObject({ [total.id]: 50, [count.id]: 1 });
    await change([{ op: 'unarchive', record_id: c1 }]);
    expect(await valuesOf(ids.investors, yale)).toMatchObject({ [total.id]: 170, [count.id]: 2 });

    // Relinking moves the amount from one investor to the other.
    await change([
      { op: 'set', record_id: yale, field_id: deals, from: [c1, c2], to: [c1] },
      { op: 'set', record_id: harvard, field_id: deals, from: [], to: [c2] },
    ]);
    expect(await valuesOf(ids.investors, yale)).toMatchObject({ [total.id]: 120, [count.id]: 1 });
    expect(await valuesOf(ids.investors, harvard)).toMatchObject({
      [total.id]: 50,
      [names.id]: ['Yale II'],
    });

    // Computed fields cannot be typed into.
    const typed = await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'set', record_id: yale, field_id: total.id, from: 120, to: 5 }] });
    expect(typed.status).toBe(400);
  });

  it('computes a lookup of a record the link points at (Commitments → Investor)', async () => {
    const { body: stage } = await addField(ids.commitments, {
      name: 'Investor stage',
      type: 'lookup',
      options: { link_field_id: com('investor'), target_field_id: ids.inv('stage') },
    });
    const inv = await create(ids.investors, {
      [ids.inv('name')]: 'Stanford',
      [ids.inv('stage')]: 'Lead',
    });
    const c = await create(ids.commitments, { [com('name')]: 'S I', [com('investor')]: [inv] });
    expect((await valuesOf(ids.commitments, c))[stage.id]).toEqual(['Lead']);
    await change([
      { op: 'set', record_id: inv, field_id: ids.inv('stage'), from: 'Lead', to: 'Committed' },
    ]);
    expect((await valuesOf(ids.commitments, c))[stage.id]).toEqual(['Committed']);
  });

  it('refuses bad options with a 400 naming the option, appending nothing', async () => {
    const before = eventCount();
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          type: 'rollup',
          options: { link_field_id: ids.inv('name'), target_field_id: com('amount') },
        },
        'link_field_id',
      ],
      [
        { type: 'lookup', options: { link_field_id: deals, target_field_id: ids.inv('name') } },
        'target_field_id',
      ],
      [
        {
          type: 'rollup',
          options: { link_field_id: deals, target_field_id: com('amount'), formula: 'SUM(values' },
        },
        'formula',
      ],
      [
        {
          type: 'count',
          options: {
            link_field_id: deals,
            conditions: {
              conjunction: 'and',
              conditions: [{ field_id: 'fldNope', operator: 'is' }],
            },
          },
        },
        'conditions',
      ],
    ];
    for (const [body, option] of cases) {
      const res = await addField(ids.investors, { name: 'Bad', ...body }, 400);
      expect(res.body.details).toMatchObject({ option });
    }
    expect(eventCount()).toBe(before);
  });

  it('refuses a loop across tables, naming the path', async () => {
    const { body: back } = await addField(ids.commitments, {
      name: 'Investor total',
      type: 'lookup',
      options: {
        link_field_id: com('investor'),
        target_field_id: t.core.repo
          .table(ids.investors)!
          .fields.find((f) => f.name === 'Total committed')!.id,
      },
    });
    const { body: loop } = await t
      .http()
      .patch(
        `/api/fundraising/fields/${t.core.repo.table(ids.investors)!.fields.find((f) => f.name === 'Total committed')!.id}`,
      )
      .send({
        type: 'rollup',
        options: { link_field_id: deals, target_field_id: back.id, formula: 'SUM(values)' },
      })
      .expect(400);
    expect(loop.details.path).toEqual([
      'Investors.Total committed',
      'Commitments.Investor total',
      'Investors.Total committed',
    ]);
  });

  it("evaluates a formula over a list sample keeping its elements' types", async () => {
    const res = await t
      .http()
      .post('/api/fundraising/formula/evaluate')
      .send({ formula: 'ARRAYJOIN(values, "; ")', fields: { values: [1, 2, 3] } })
      .expect(200);
    expect(res.body).toMatchObject({ value: '1; 2; 3' });
    const sum = await t
      .http()
      .post('/api/fundraising/formula/evaluate')
      .send({ formula: 'SUM(values) & " " & COUNTA(values)', fields: { values: [1, null, 2.5] } })
      .expect(200);
    expect(sum.body.value).toBe('3.5 2');
  });

  it('refuses to delete a field computed fields read (409 naming them), or cascades', async () => {
    const amount = com('amount');
    const before = eventCount();
    const res = await t.http().delete(`/api/fundraising/fields/${amount}`).expect(409);
    // The default base's own rollups of the amount are listed too.
    expect(res.body.details.dependents).toEqual([
      expect.objectContaining({ name: 'Investors.Committed amount' }),
      expect.objectContaining({ name: 'Investors.Total committed' }),
      expect.objectContaining({ name: 'Funds.Committed' }),
    ]);
    expect(eventCount()).toBe(before);
    const total = t.core.repo
      .table(ids.investors)!
      .fields.find((f) => f.name === 'Total committed')!;
    const yale = t.core.repo.db
      .prepare(`SELECT id FROM fundraising_records WHERE json_extract(values_json, ?) = 'Yale'`)
      .get(`$.${ids.inv('name')}`) as { id: string };
    await t.http().delete(`/api/fundraising/fields/${amount}?cascade=true`).expect(200);
    expect((await valuesOf(ids.investors, yale.id))[total.id]).toEqual({
      error: 'the field it looks up was removed',
    });
  });

  it('rebuilds to byte-identical computed values', async () => {
    const live = t.core.repo.db
      .prepare('SELECT id, formula_json FROM fundraising_records ORDER BY id')
      .all();
    await t.core.runner.rebuild();
    const rebuilt = t.core.repo.db
      .prepare('SELECT id, formula_json FROM fundraising_records ORDER BY id')
      .all();
    expect(rebuilt).toEqual(live);
  });
});
