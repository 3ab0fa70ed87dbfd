import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('formula fields API', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  const addField = (body: Record<string, unknown>, status = 201) =>
    t.http().post(`/api/fundraising/tables/${ids.investors}/fields`).send(body).expect(status);
  const create = async (values: Record<string, unknown>) =>
    (
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({ changes: [{ op: 'create', table_id: ids.investors, values }] })
        .expect(200)
    ).body.applied[0].record_id as string;
  const set = (record_id: string, field_id: string, from: unknown, to: unknown) =>
    t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'set', record_id, field_id, from, to }] })
      .expect(200);
  const valuesOf = async (recordId: string) => {
    const state = await t.http().get('/api/fundraising/state').expect(200);
    return state.body.tables
      .find((x: { id: string }) => x.id === ids.investors)
      .records.find((r: { id: string }) => r.id === recordId).values as Record<string, unknown>;
  };

  it('creates a formula field and answers the field with its id and result type', async () => {
    const res = await addField({
      name: 'Fee',
      type: 'formula',
      options: { formula: '{Target commitment} * 0.02' },
    });
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^fld/),
      name: 'Fee',
      type: 'formula',
      options: { formula: '{Target commitment} * 0.02', result_type: 'number' },
    });
    expect(res.body.field.id).toBe(res.body.id);
    const stored = t.core.repo.table(ids.investors)!.fields.find((f) => f.id === res.body.id)!;
    expect(stored.options.formula).toBe(`{${ids.inv('target_commitment')}} * 0.02`);
  });

  it('refuses a formula with a mistake, with the position of the mistake', async () => {
    const res = await addField(
      {
        name: 'Broken',
        type: 'formula',
        options: { formula: 'ROUND({Target commitment}, 2) + {Nope}' },
      },
      400,
    );
    expect(res.body.message).toBe(
      'field "Broken": unknown field {Nope} (at character 33 of the formula)',
    );
    expect(res.body.details).toMatchObject({ option: 'formula', position: 32, length: 6 });
    const arity = await addField(
      { name: 'Broken', type: 'formula', options: { formula: 'LEFT({Name})' } },
      400,
    );
    expect(arity.body.details).toMatchObject({
      position: 0,
      formula_error: expect.stringMatching(/LEFT\(\) takes 2 arguments, not 1/),
    });
  });

  it('computes values when records are created and recomputes only the dependents of an edit', async () => {
    const { body: net } = await addField({
      name: 'Net',
      type: 'formula',
      options: { formula: '{Fee} - 1000' },
    });
    const { body: label } = await addField({
      name: 'Label',
      type: 'formula',
      options: { formula: 'UPPER({Name}) & " (" & {Pipeline stage} & ")"' },
    });
    const fee = t.core.repo.table(ids.investors)!.fields.find((f) => f.name === 'Fee')!.id;
    const id = await create({
      [ids.inv('name')]: 'Yale',
      [ids.inv('target_commitment')]: 1_000_000,
      [ids.inv('stage')]: 'Lead',
    });
    expect(await valuesOf(id)).toMatchObject({
      [fee]: 20_000,
      [net.id]: 19_000,
      [label.id]: 'YALE (Lead)',
    });
    const before = t.core.db
      .prepare('SELECT formula_json FROM fundraising_records WHERE id = ?')
      .get(id) as { formula_json: string };
    await set(id, ids.inv('target_commitment'), 1_000_000, 2_000_000);
    const after = await valuesOf(id);
    expect(after).toMatchObject({ [fee]: 40_000, [net.id]: 39_000, [label.id]: 'YALE (Lead)' });
    expect(JSON.parse(before.formula_json)[label.id]).toBe('YALE (Lead)');
    // The event holds only the edit; formula values are derived, never logged.
    const last = t.core.store.readStream(`record-${id}`).at(-1)!;
    expect(last.data).toEqual({
      table_id: ids.investors,
      record_id: id,
      changes: [{ field_id: ids.inv('target_commitment'), from: 1_000_000, to: 2_000_000 }],
    });
  });

  it('keeps working after a referenced field is renamed, and shows the new name', async () => {
    const { body: field } = await addField({
      name: 'Ticket',
      type: 'formula',
      options: { formula: 'IF({Next step}, {Next step} & " owns it", "unowned")' },
    });
    const id = await create({ [ids.inv('name')]: 'Acme', [ids.inv('next_step')]: 'Ann' });
    await t
      .http()
      .patch(`/api/fundraising/fields/${ids.inv('next_step')}`)
      .send({ name: 'Relationship lead' })
      .expect(200);
    const res = await t.http().get('/api/fundraising/state').expect(200);
    const shown = res.body.tables
      .find((x: { id: string }) => x.id === ids.investors)
      .fields.find((f: { id: string }) => f.id === field.id);
    expect(shown.options.formula).toBe(
      'IF({Relationship lead}, {Relationship lead} & " owns it", "unowned")',
    );
    await set(id, ids.inv('next_step'), 'Ann', 'Bob');
    expect((await valuesOf(id))[field.id]).toBe('Bob owns it');
  });

  it('shows evaluation errors as values the grid can show as #ERROR!', async () => {
    const { body: ratio } = await addField({
      name: 'Ratio',
      type: 'formula',
      options: { formula: '({Committed amount} + 10) / {Target commitment}' },
    });
    // "Committed amount" is a rollup of the (here no) commitments: 0.
    const id = await create({
      [ids.inv('name')]: 'Zero',
      [ids.inv('target_commitment')]: 0,
    });
    expect((await valuesOf(id))[ratio.id]).toEqual({ error: 'Division by zero' });
  });

  it('refuses a loop between formula fields', async () => {
    const { body: a } = await addField({
      name: 'Loop A',
      type: 'formula',
      options: { formula: '{Target commitment} + 1' },
    });
    await addField({ name: 'Loop B', type: 'formula', options: { formula: '{Loop A} + 1' } });
    const res = await t
      .http()
      .patch(`/api/fundraising/fields/${a.id}`)
      .send({ type: 'formula', options: { formula: '{Loop B} * 2' } })
      .expect(400);
    expect(res.body.message).toMatch(/\{Loop B\} depends on this field/);
    expect(res.body.details.position).toBe(0);
  });

  it('recomputes the whole table when a formula changes, and keeps the values when it becomes a plain field', async () => {
    const { body: f } = await addField({
      name: 'Double',
      type: 'formula',
      options: { formula: '{Target commitment} * 2' },
    });
    const id = await create({ [ids.inv('name')]: 'Doubled', [ids.inv('target_commitment')]: 21 });
    expect((await valuesOf(id))[f.id]).toBe(42);
    const retyped = await t
      .http()
      .patch(`/api/fundraising/fields/${f.id}`)
      .send({ options: { formula: '{Target commitment} * 3' } })
      .expect(200);
    expect(retyped.body.field.options).toEqual({
      formula: '{Target commitment} * 3',
      result_type: 'number',
    });
    expect((await valuesOf(id))[f.id]).toBe(63);
    await t
      .http()
      .patch(`/api/fundraising/fields/${f.id}`)
      .send({ type: 'number', options: {} })
      .expect(200);
    expect((await valuesOf(id))[f.id]).toBe(63);
    await set(id, f.id, 63, 64);
  });

  it('refuses writes to a formula cell', async () => {
    const fee = t.core.repo.table(ids.investors)!.fields.find((f) => f.name === 'Fee')!.id;
    const id = await create({ [ids.inv('name')]: 'No writes' });
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'set', record_id: id, field_id: fee, from: null, to: 5 }] })
      .expect(400);
    expect(res.body.message).toMatch(/cannot be edited/);
  });

  describe('POST /formula/evaluate', () => {
    const evaluate = (body: Record<string, unknown>) =>
      t.http().post('/api/fundraising/formula/evaluate').send(body).expect(200);

    it('evaluates a formula on sample values by field name', async () => {
      expect(
        (
          await evaluate({
            formula: '{Amount} * 2 & " " & UPPER({Name})',
            fields: { Amount: 21, Name: 'ann' },
          })
        ).body,
      ).toEqual({ value: '42 ANN', type: 'text' });
      expect(
        (await evaluate({ formula: 'DATEADD({Due}, 1, "month")', fields: { Due: '2026-01-31' } }))
          .body,
      ).toEqual({ value: '2026-02-28T00:00:00.000Z', type: 'date' });
    });

    it('answers a mistake with its message and position', async () => {
      expect((await evaluate({ formula: 'SUM(1, {Nope})', fields: {} })).body).toEqual({
        error: { message: 'unknown field {Nope}', position: 7, length: 6, kind: 'definition' },
      });
      expect((await evaluate({ formula: '1 / 0' })).body).toEqual({
        error: { message: 'Division by zero', position: null, length: 0, kind: 'evaluation' },
      });
    });

    it("evaluates against a table's fields and a record", async () => {
      const id = await create({
        [ids.inv('name')]: 'Preview LP',
        [ids.inv('target_commitment')]: 500,
      });
      const res = await evaluate({
        formula: '{Fee} + {Target commitment} & " for " & {Name} & " " & RECORD_ID()',
        table_id: ids.investors,
        record_id: id,
      });
      expect(res.body).toEqual({ value: `510 for Preview LP ${id}`, type: 'text' });
      const override = await evaluate({
        formula: '{Target commitment} * 2',
        table_id: ids.investors,
        record_id: id,
        fields: { 'Target commitment': 7 },
      });
      expect(override.body).toEqual({ value: 14, type: 'number' });
      await t
        .http()
        .post('/api/fundraising/formula/evaluate')
        .send({ formula: '1', table_id: ids.investors, record_id: 'recNope00000000000' })
        .expect(404);
    });

    it('lists the functions for autocomplete', async () => {
      const res = await t.http().get('/api/fundraising/formula/functions').expect(200);
      expect(res.body.functions.map((f: { name: string }) => f.name)).toEqual(
        expect.arrayContaining([
          'IF',
          'DATETIME_FORMAT',
          'REGEX_EXTRACT',
          'ARRAYJOIN',
          'RECORD_ID',
        ]),
      );
    });

    it('is for signed-in people only', async () => {
      await t.anon().post('/api/fundraising/formula/evaluate').send({ formula: '1' }).expect(401);
    });
  });
});
