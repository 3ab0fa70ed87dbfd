import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('automation runs: loop guard, failures', () => {
  const t = apiSuite({ member: true });
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const settled = () => t.app.get(ProcessorRunner).settled();

  beforeAll(async () => {
    ids = await baseIds(t);
    // Owner holds people now; these rules write a text field, as Owner was before.
    await t
      .http()
      .patch(`/api/fundraising/fields/${ids.inv('owner')}`)
      .send({ type: 'text' })
      .expect(200);
  });

  const rule = async (body: Record<string, unknown>) =>
    (
      await t
        .http()
        .post('/api/automations')
        .send({ conditions: null, enabled: true, ...body })
        .expect(201)
    ).body.id as string;
  const runsOf = async (id: string) =>
    (await t.http().get(`/api/automations/${id}/runs`).expect(200)).body.runs as {
      status: string;
      error: string | null;
      effects: unknown[];
    }[];
  const create = async (values: Record<string, unknown>) =>
    (
      await t
        .http()
        .post('/api/fundraising/changes')
        .send({ changes: [{ op: 'create', table_id: ids.investors, values }] })
        .expect(200)
    ).body.applied[0].record_id as string;
  const set = (id: string, field: string, from: unknown, to: unknown) =>
    t
      .http()
      .post('/api/fundraising/changes')
      .send({ changes: [{ op: 'set', record_id: id, field_id: field, from, to }] })
      .expect(200);
  const onChangeOf = (field: string) => ({
    type: 'record_updated',
    table_id: ids.investors,
    fields: [field],
  });
  const setField = (field: string, value: unknown) => [
    { type: 'set_field', field_id: field, value },
  ];

  it('stops a chain deeper than 3 rules, recorded as skipped with the reason', async () => {
    // name → owner → next step → notes → target: the fourth rule would be the fourth in the chain.
    const r1 = await rule({
      name: 'r1',
      trigger: onChangeOf(ids.inv('name')),
      actions: setField(ids.inv('owner'), 'Ana'),
    });
    const r2 = await rule({
      name: 'r2',
      trigger: onChangeOf(ids.inv('owner')),
      actions: setField(ids.inv('next_step'), 'Call'),
    });
    const r3 = await rule({
      name: 'r3',
      trigger: onChangeOf(ids.inv('next_step')),
      actions: setField(ids.inv('notes'), 'Called'),
    });
    const r4 = await rule({
      name: 'r4',
      trigger: onChangeOf(ids.inv('notes')),
      actions: setField(ids.inv('target_commitment'), 1),
    });
    const id = await create({ [ids.inv('name')]: 'Chain LP' });
    await set(id, ids.inv('name'), 'Chain LP', 'Chain LP II');
    await settled();
    expect((await runsOf(r1)).map((r) => r.status)).toEqual(['succeeded']);
    expect((await runsOf(r2)).map((r) => r.status)).toEqual(['succeeded']);
    expect((await runsOf(r3)).map((r) => r.status)).toEqual(['succeeded']);
    const [stopped] = await runsOf(r4);
    expect(stopped).toMatchObject({
      status: 'skipped',
      error: expect.stringMatching(/^chain_too_deep/),
    });
    const record = (await t.http().get(`/api/fundraising/records/${id}`).expect(200)).body;
    expect(record.values[ids.inv('target_commitment')] ?? null).toBeNull();
    for (const r of [r1, r2, r3, r4]) await t.http().delete(`/api/automations/${r}`).expect(200);
  });

  it('never fires a rule on an event its own run caused (recorded as skipped: loop)', async () => {
    const self = await rule({
      name: 'self',
      trigger: { type: 'record_updated', table_id: ids.investors, fields: [ids.inv('owner')] },
      actions: [{ type: 'log_note', text: 'owner changed' }, ...setField(ids.inv('owner'), 'Self')],
    });
    const id = await create({ [ids.inv('name')]: 'Loop LP' });
    await set(id, ids.inv('owner'), null, 'Ben');
    await settled();
    const selfRuns = await runsOf(self);
    expect(selfRuns.map((r) => r.status).sort()).toEqual(['skipped', 'succeeded']);
    expect(selfRuns.find((r) => r.status === 'skipped')!.error).toMatch(/^loop/);
    const record = (await t.http().get(`/api/fundraising/records/${id}`).expect(200)).body;
    expect(record.values[ids.inv('owner')]).toBe('Self');
    await t.http().delete(`/api/automations/${self}`).expect(200);
  });

  it('records a failed run with its error and nothing of its effects; five in a row turn the rule off', async () => {
    const field = (
      await t
        .http()
        .post(`/api/fundraising/tables/${ids.investors}/fields`)
        .send({ name: 'Score', type: 'text' })
        .expect(201)
    ).body.id as string;
    const id = await rule({
      name: 'Score new investors',
      trigger: { type: 'record_created', table_id: ids.investors },
      actions: [
        { type: 'set_membership', list: 'longshot', op: 'add' },
        ...setField(field, 'high'),
      ],
    });
    // The field now takes numbers only: the rule's value fails every run.
    await t.http().patch(`/api/fundraising/fields/${field}`).send({ type: 'number' }).expect(200);
    const records: string[] = [];
    for (let i = 0; i < 5; i++) records.push(await create({ [ids.inv('name')]: `Failing ${i}` }));
    await settled();
    const runs = await runsOf(id);
    expect(runs.map((r) => r.status)).toEqual(Array(5).fill('failed'));
    expect(runs[0]).toMatchObject({ effects: [], error: expect.stringContaining('Score') });
    const longshot = await t.http().get('/api/fundraising/memberships?list=longshot').expect(200);
    expect(
      longshot.body.memberships.filter((m: { record_id: string }) => records.includes(m.record_id)),
    ).toEqual([]);

    const shown = (await t.member.http().get('/api/automations').expect(200)).body.rules.find(
      (r: { id: string }) => r.id === id,
    );
    expect(shown).toMatchObject({
      enabled: false,
      failures: 5,
      runs: 5,
      disabled_reason: expect.stringContaining('5 failed runs in a row'),
    });
    await create({ [ids.inv('name')]: 'After the rule was turned off' });
    await settled();
    expect(await runsOf(id)).toHaveLength(5);
    const feed = t.core.store.readStream(`automation-${id}`).map((e) => e.type);
    expect(feed).toEqual(['AutomationRuleCreated', 'AutomationRuleDisabled']);
  });

  it('makes the runs of records created together in one go: a failing run rolls back alone, the others stand', async () => {
    const field = (
      await t
        .http()
        .post(`/api/fundraising/tables/${ids.investors}/fields`)
        .send({ name: 'Rank', type: 'text' })
        .expect(201)
    ).body.id as string;
    const failing = await rule({
      name: 'Rank new investors (refused: Rank takes numbers)',
      trigger: { type: 'record_created', table_id: ids.investors },
      actions: [{ type: 'set_membership', list: 'longshot', op: 'add' }, ...setField(field, 'top')],
    });
    const noting = await rule({
      name: 'Note new investors',
      trigger: { type: 'record_created', table_id: ids.investors },
      actions: [{ type: 'log_note', text: 'new investor' }],
    });
    // The field now takes numbers only: the first rule's value fails every run.
    await t.http().patch(`/api/fundraising/fields/${field}`).send({ type: 'number' }).expect(200);
    const res = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: ['A', 'B', 'C'].map((n) => ({
          op: 'create',
          table_id: ids.investors,
          values: { [ids.inv('name')]: `Together ${n}` },
        })),
      })
      .expect(200);
    const records = (res.body.applied as { record_id: string }[]).map((a) => a.record_id);
    await settled();

    const failed = await runsOf(failing);
    expect(failed.map((r) => [r.status, r.effects])).toEqual(Array(3).fill(['failed', []]));
    const noted = await runsOf(noting);
    expect(noted.map((r) => r.status)).toEqual(Array(3).fill('succeeded'));
    expect(
      noted.flatMap((r) => r.effects).map((e) => (e as { record_id: string }).record_id),
    ).toEqual(expect.arrayContaining(records));
    const longshot = await t.http().get('/api/fundraising/memberships?list=longshot').expect(200);
    expect(
      longshot.body.memberships.filter((m: { record_id: string }) => records.includes(m.record_id)),
    ).toEqual([]);
    // Each run has its own causation: the record's creation.
    const started = t.core.store
      .readAll(0)
      .filter(
        (e) =>
          e.type === 'AutomationRunStarted' && (e.data as { rule_id: string }).rule_id === noting,
      );
    const creations = t.core.store
      .readAll(0)
      .filter(
        (e) =>
          e.type === 'RecordCreated' &&
          records.includes((e.data as { record_id: string }).record_id),
      );
    expect(started.map((e) => e.metadata.causation_id).sort()).toEqual(
      creations.map((e) => e.event_id).sort(),
    );
  });

  it("compares set_field against the value the rule saw: a person's later edit wins, and the run records the conflict", async () => {
    const id = await rule({
      name: 'Owner Ana → the team',
      trigger: {
        type: 'record_updated',
        table_id: ids.investors,
        fields: [ids.inv('owner')],
        to: { operator: 'is', value: 'Ana' },
      },
      actions: setField(ids.inv('owner'), 'Team'),
    });
    const record = await create({ [ids.inv('name')]: 'Conflict LP' });
    // The processor is behind: the person's second edit lands before the rule runs on the first.
    await t.http().post('/api/admin/processors/automations/pause').expect(200);
    await set(record, ids.inv('owner'), null, 'Ana');
    await set(record, ids.inv('owner'), 'Ana', 'Ben');
    await t.http().post('/api/admin/processors/automations/resume').expect(200);
    await settled();
    const [run] = (await t.http().get(`/api/automations/${id}/runs`).expect(200)).body.runs;
    expect(run).toMatchObject({
      status: 'succeeded',
      effects: [],
      conflicts: [
        { record_id: record, field_id: ids.inv('owner'), expected: 'Ana', current: 'Ben' },
      ],
    });
    const now = (await t.http().get(`/api/fundraising/records/${record}`).expect(200)).body;
    expect(now.values[ids.inv('owner')]).toBe('Ben');
    await t.http().delete(`/api/automations/${id}`).expect(200);
  });
});
