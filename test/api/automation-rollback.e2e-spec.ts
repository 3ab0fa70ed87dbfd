import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { baseIds } from '../support/test-app';

describe('rolling back one automation run', () => {
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
    await t
      .http()
      .post('/api/automations')
      .send({
        name: 'Passed → graveyard, owner cleared',
        trigger: {
          type: 'record_updated',
          table_id: ids.investors,
          fields: [ids.inv('stage')],
          to: { operator: 'is', value: 'Passed' },
        },
        conditions: null,
        actions: [
          { type: 'set_membership', list: 'graveyard', op: 'move' },
          { type: 'set_field', field_id: ids.inv('owner'), value: 'Nobody' },
          { type: 'set_field', field_id: ids.inv('next_step'), value: 'None' },
        ],
        enabled: true,
      })
      .expect(201);
  });

  const cell = async (id: string, field: string) =>
    (await t.http().get(`/api/fundraising/records/${id}`).expect(200)).body.values[field] ?? null;
  const lists = async (id: string) =>
    (
      await t.http().get(`/api/fundraising/memberships?record_id=${id}`).expect(200)
    ).body.memberships
      .map((m: { list: string }) => m.list)
      .filter((l: string) => l !== 'all')
      .sort();

  async function passedInvestor(name: string) {
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'create',
            table_id: ids.investors,
            values: {
              [ids.inv('name')]: name,
              [ids.inv('stage')]: 'Engaged',
              [ids.inv('owner')]: 'Ana',
            },
          },
        ],
      })
      .expect(200);
    const id = created.body.applied[0].record_id as string;
    await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'main', op: 'add' })
      .expect(200);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: id, field_id: ids.inv('stage'), from: 'Engaged', to: 'Passed' },
        ],
      })
      .expect(200);
    await settled();
    const runs = (await t.http().get('/api/automation-runs?status=succeeded').expect(200)).body
      .runs;
    const run = runs.find((r: { trigger: { record_id: string } }) => r.trigger.record_id === id);
    return { id, run };
  }

  it('takes back what the run did, keeping a later edit by a person, as one undoable batch', async () => {
    const { id, run } = await passedInvestor('Rollback LP');
    expect(await lists(id)).toEqual(['graveyard']);
    expect(await cell(id, ids.inv('owner'))).toBe('Nobody');
    // A person edits one of the cells the run set.
    await t.member
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: id, field_id: ids.inv('owner'), from: 'Nobody', to: 'Ben' },
        ],
      })
      .expect(200);

    const preview = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback-preview`)
      .send({})
      .expect(200);
    expect(preview.body.later_edits).toEqual([
      expect.objectContaining({
        record_id: id,
        what: `field ${ids.inv('owner')}`,
        run_left: 'Nobody',
        current: 'Ben',
        updated_by: t.member.id,
      }),
    ]);
    expect(preview.body.changes.cells).toEqual([
      { record_id: id, field_id: ids.inv('next_step'), from: 'None', to: null },
    ]);
    await t.member
      .http()
      .post(`/api/automation-runs/${run.id}/rollback-preview`)
      .send({})
      .expect(403);

    const done = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback`)
      .send({ token: preview.body.token })
      .expect(200);
    expect(done.body).toMatchObject({ run_id: run.id, changes: 3, kept: 1 });
    expect(await lists(id)).toEqual(['main']);
    expect(await cell(id, ids.inv('owner'))).toBe('Ben');
    expect(await cell(id, ids.inv('next_step'))).toBeNull();
    const after = (await t.http().get(`/api/automation-runs?status=rolled_back`).expect(200)).body
      .runs;
    expect(after.map((r: { id: string }) => r.id)).toContain(run.id);
    // The rollback's cell changes are a batch like any other: undoing it puts the run's value back.
    await t
      .http()
      .post('/api/fundraising/undo')
      .send({ correlation_id: done.body.correlation_id })
      .expect(200);
    expect(await cell(id, ids.inv('next_step'))).toBe('None');
    // ...and its list moves: the investor is back in the graveyard, out of main.
    expect(await lists(id)).toEqual(['graveyard']);
    // A run rolled back once is not rolled back again.
    await t.http().post(`/api/automation-runs/${run.id}/rollback-preview`).send({}).expect(409);
  });

  it('overwrites later edits when the admin says so, and refuses a stale token', async () => {
    const { id, run } = await passedInvestor('Overwrite LP');
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: id, field_id: ids.inv('owner'), from: 'Nobody', to: 'Cleo' },
        ],
      })
      .expect(200);
    const stale = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback-preview`)
      .send({ overwrite_later_edits: true })
      .expect(200);
    await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'longshot', op: 'add' })
      .expect(200);
    const refused = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback`)
      .send({ token: stale.body.token })
      .expect(409);
    expect(refused.body.reason).toBe('stale_preview');
    const preview = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback-preview`)
      .send({ overwrite_later_edits: true })
      .expect(200);
    await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback`)
      .send({ token: preview.body.token })
      .expect(200);
    expect(await cell(id, ids.inv('owner'))).toBe('Ana');
    // The run's own moves are taken back; a list the run never touched stays as the person left it.
    expect(await lists(id)).toEqual(['longshot', 'main']);
  });

  it('undoes a rollback that only moved lists, and redoes it', async () => {
    const rule = await t
      .http()
      .post('/api/automations')
      .send({
        name: 'Next step "shelve" → longshot',
        trigger: {
          type: 'record_updated',
          table_id: ids.investors,
          fields: [ids.inv('next_step')],
          to: { operator: 'is', value: 'shelve' },
        },
        conditions: null,
        actions: [{ type: 'set_membership', list: 'longshot', op: 'move' }],
        enabled: true,
      })
      .expect(201);
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'create', table_id: ids.investors, values: { [ids.inv('name')]: 'Shelf LP' } },
        ],
      })
      .expect(200);
    const id = created.body.applied[0].record_id as string;
    await t
      .http()
      .post('/api/fundraising/memberships')
      .send({ record_id: id, list: 'main', op: 'add' })
      .expect(200);
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: id, field_id: ids.inv('next_step'), from: null, to: 'shelve' },
        ],
      })
      .expect(200);
    await settled();
    expect(await lists(id)).toEqual(['longshot']);
    const run = (await t.http().get(`/api/automations/${rule.body.id}/runs`).expect(200)).body
      .runs[0];
    const preview = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback-preview`)
      .send({})
      .expect(200);
    const done = await t
      .http()
      .post(`/api/automation-runs/${run.id}/rollback`)
      .send({ token: preview.body.token })
      .expect(200);
    expect(await lists(id)).toEqual(['main']);

    const undo = await t
      .http()
      .post('/api/fundraising/undo')
      .send({ correlation_id: done.body.correlation_id })
      .expect(200);
    expect(undo.body.reversed).toBe(2);
    expect(await lists(id)).toEqual(['longshot']);
    await t
      .http()
      .post('/api/fundraising/redo')
      .send({ correlation_id: undo.body.correlation_id })
      .expect(200);
    expect(await lists(id)).toEqual(['main']);
    await t.http().delete(`/api/automations/${rule.body.id}`).expect(200);
  });
});
