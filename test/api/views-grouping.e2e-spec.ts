import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('grouped views and boards', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const recordIds: Record<string, string> = {};

  beforeAll(async () => {
    ids = await baseIds(t);
    const rows: [string, string | null, string, number | null][] = [
      ['Yale Endowment', 'Engaged', 'Endowment', 25_000_000],
      ['Acme Family Office', 'Lead', 'Family office', 1_000_000],
      ['Harbor Pension', 'Engaged', 'Pension', 5_000_000],
      ['Blue Foundation', 'Lead', 'Foundation', 2_500_000],
      ['Quiet Capital', null, 'Endowment', null],
      ['Cedar Trust', 'Lead', 'Endowment', 500_000],
    ];
    const changes = rows.map(([name, stage, type, amount]) => ({
      op: 'create',
      table_id: ids.investors,
      values: {
        [ids.inv('name')]: name,
        [ids.inv('stage')]: stage,
        [ids.inv('type')]: type,
        [ids.inv('target_commitment')]: amount,
      },
    }));
    const res = await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
    res.body.applied.forEach((a: { record_id: string }, i: number) => {
      recordIds[rows[i][0]] = a.record_id;
    });
  });

  const names = (records: { values: Record<string, unknown> }[]) =>
    records.map((r) => r.values[ids.inv('name')]);

  const refused = async (body: Record<string, unknown>, field: string, reason: string) => {
    const before = t.core.store.lastPosition();
    const res = await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Bad', ...body })
      .expect(400);
    expect(res.body.details).toMatchObject({ field, reason });
    expect(res.body.message).toContain(field);
    expect(t.core.store.lastPosition()).toBe(before);
  };

  it('answers a grouped view in group order, then the sort, with counts and sums of every group', async () => {
    const view = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'By stage',
        group_by: [{ field_id: ids.inv('stage'), direction: 'asc' }],
        sorts: [{ field_id: ids.inv('target_commitment'), direction: 'desc' }],
        collapsed_groups: ['["x"]'],
      })
      .expect(201);
    expect(view.body).toMatchObject({
      type: 'grid',
      group_by: [{ field_id: ids.inv('stage'), direction: 'asc' }],
      collapsed_groups: ['["x"]'],
    });
    const res = await t
      .http()
      .get(`/api/fundraising/views/${view.body.id}/records?limit=2`)
      .expect(200);
    // Empty first, then the choices in their order; the page holds two records, the groups cover all.
    expect(names(res.body.records)).toEqual(['Quiet Capital', 'Blue Foundation']);
    const amount = ids.inv('target_commitment');
    expect(
      res.body.groups.map((g: { value: unknown; start: number; count: number; sums: never }) => [
        g.value,
        g.start,
        g.count,
        g.sums[amount] ?? null,
      ]),
    ).toEqual([
      [null, 0, 1, null],
      ['Lead', 1, 3, 4_000_000],
      ['Engaged', 4, 2, 30_000_000],
    ]);
    const all = await t.http().get(`/api/fundraising/views/${view.body.id}/records`).expect(200);
    expect(names(all.body.records)).toEqual([
      'Quiet Capital',
      'Blue Foundation',
      'Acme Family Office',
      'Cedar Trust',
      'Yale Endowment',
      'Harbor Pension',
    ]);
  });

  it('answers an ungrouped view without groups, as before', async () => {
    const view = await t
      .http()
      .post('/api/fundraising/views')
      .send({ table_id: ids.investors, name: 'Plain' })
      .expect(201);
    const res = await t.http().get(`/api/fundraising/views/${view.body.id}/records`).expect(200);
    expect(res.body.groups).toBeUndefined();
  });

  it('refuses bad grouping with 400 naming the option and its reason, appending nothing', async () => {
    const stage = ids.inv('stage');
    await refused(
      { group_by: [{ field_id: 'fld_nope', direction: 'asc' }] },
      'group_by[0].field_id',
      'unknown_field',
    );
    await refused(
      { group_by: [{ field_id: stage, direction: 'sideways' }] },
      'group_by[0].direction',
      'bad_direction',
    );
    const four = ['stage', 'type', 'name', 'target_commitment'].map((r) => ({
      field_id: ids.inv(r),
      direction: 'asc',
    }));
    await refused({ group_by: four }, 'group_by', 'too_many_levels');
  });

  it('refuses a bad board with 400 naming the option, appending nothing', async () => {
    await refused({ type: 'kanban' }, 'kanban', 'missing');
    await refused(
      { type: 'kanban', kanban: { field_id: ids.inv('name') } },
      'kanban.field_id',
      'not_single_select',
    );
    await refused(
      { type: 'kanban', kanban: { field_id: ids.inv('stage'), card_fields: ['fld_nope'] } },
      'kanban.card_fields',
      'unknown_field',
    );
    await refused({ type: 'table' }, 'type', 'unknown_type');
  });

  describe('a board over the pipeline stage', () => {
    let boardId: string;
    const board = async () =>
      (await t.http().get(`/api/fundraising/views/${boardId}/records?limit=10000`).expect(200))
        .body;
    const move = (recordId: string, after: string | null) =>
      t
        .http()
        .post(`/api/fundraising/views/${boardId}/cards/${recordId}/move`)
        .send({ after_record_id: after });

    beforeAll(async () => {
      const res = await t
        .http()
        .post('/api/fundraising/views')
        .send({
          table_id: ids.investors,
          name: 'Pipeline',
          type: 'kanban',
          kanban: { field_id: ids.inv('stage'), card_fields: [ids.inv('target_commitment')] },
        })
        .expect(201);
      boardId = res.body.id;
      expect(res.body).toMatchObject({ type: 'kanban', kanban: { field_id: ids.inv('stage') } });
    });

    it('answers the cards column by column, with a count per column', async () => {
      const body = await board();
      expect(body.groups.map((g: { value: unknown; count: number }) => [g.value, g.count])).toEqual(
        [
          [null, 1],
          ['Lead', 3],
          ['Engaged', 2],
        ],
      );
      expect(names(body.records).slice(1, 4)).toEqual([
        'Acme Family Office',
        'Blue Foundation',
        'Cedar Trust',
      ]);
    });

    it('keeps a card where it was put, writing that card alone (and unranked cards above it once), saved with the board', async () => {
      await move(recordIds['Cedar Trust'], null).expect(200);
      const last = t.core.store.readAll(t.core.store.lastPosition() - 1, 1)[0];
      expect(last.type).toBe('ViewSaved');
      const ranks = (last.data as { config: { kanban: { ranks: Record<string, string> } } }).config
        .kanban.ranks;
      expect(Object.keys(ranks)).toEqual([recordIds['Cedar Trust']]);
      await move(recordIds['Acme Family Office'], recordIds['Blue Foundation']).expect(200);
      expect(names((await board()).records).slice(1, 4)).toEqual([
        'Cedar Trust',
        'Blue Foundation',
        'Acme Family Office',
      ]);
      const saved = await t.http().get(`/api/fundraising/views/${boardId}`).expect(200);
      expect(Object.keys(saved.body.kanban.ranks).sort()).toEqual(
        [
          recordIds['Cedar Trust'],
          recordIds['Blue Foundation'],
          recordIds['Acme Family Office'],
        ].sort(),
      );
    });

    it('moves a card to another column by an edit of its stage, then places it there', async () => {
      const id = recordIds['Cedar Trust'];
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({
          changes: [
            { op: 'set', record_id: id, field_id: ids.inv('stage'), from: 'Lead', to: 'Engaged' },
          ],
        })
        .expect(200);
      await move(id, recordIds['Yale Endowment']).expect(200);
      const body = await board();
      expect(names(body.records).slice(3)).toEqual([
        'Yale Endowment',
        'Cedar Trust',
        'Harbor Pension',
      ]);
    });

    it('refuses to place a card after one of another column, or on a view that is not a board', async () => {
      const before = t.core.store.lastPosition();
      const res = await move(recordIds['Yale Endowment'], recordIds['Acme Family Office']).expect(
        400,
      );
      expect(res.body.details).toMatchObject({ field: 'after_record_id', reason: 'not_in_column' });
      const plain = await t
        .http()
        .post('/api/fundraising/views')
        .send({ table_id: ids.investors, name: 'Grid' })
        .expect(201);
      const after = t.core.store.lastPosition();
      const notBoard = await t
        .http()
        .post(`/api/fundraising/views/${plain.body.id}/cards/${recordIds['Yale Endowment']}/move`)
        .send({})
        .expect(400);
      expect(notBoard.body.details).toMatchObject({ reason: 'not_a_board' });
      expect(t.core.store.lastPosition()).toBe(after);
      expect(after).toBe(before + 1);
    });
  });
});
