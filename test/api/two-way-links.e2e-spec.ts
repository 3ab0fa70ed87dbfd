import { decideCreateTable } from '@crm/domain';
import { addLinkInverses } from '../../apps/api/src/capabilities/fundraising/fundraising-store.module';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { apiSuite } from '../support/api-suite';
import { commitOk, uploadOk } from '../support/imports';
import { baseIds } from '../support/test-app';

/** A link field and its inverse in the table it points at, kept in step by edits of either side. */
describe('two-way links API', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const com = (role: string) => ids.field('commitments', `commitment.${role}`);

  const change = (changes: Record<string, unknown>[]) =>
    t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
  const create = async (tableId: string, values: Record<string, unknown>) =>
    (await change([{ op: 'create', table_id: tableId, values }])).body.applied[0]
      .record_id as string;
  const cell = (recordId: string, fieldId: string) => t.core.repo.record(recordId)?.values[fieldId];

  beforeAll(async () => {
    ids = await baseIds(t);
  });

  it('gives the default base both sides of its links', () => {
    const mine = ids.inv('commitments');
    const inverseOf = (fieldId: string) =>
      t.core.repo
        .tables()
        .flatMap((x) => x.fields)
        .find((f) => f.id === fieldId)!.options.inverse_field_id;
    expect(inverseOf(mine)).toBe(com('investor'));
    expect(inverseOf(com('investor'))).toBe(mine);
    expect(inverseOf(ids.inv('contacts'))).toBe(ids.field('contacts', 'contact.investor'));
    expect(inverseOf(ids.field('funds', 'fund.commitments'))).toBe(com('fund'));
  });

  it('shows a link on both sides, and an edit of either side edits the link, in one batch', async () => {
    const yale = await create(ids.investors, { [ids.inv('name')]: 'Yale' });
    const mit = await create(ids.investors, { [ids.inv('name')]: 'MIT' });
    const c = await create(ids.commitments, { [com('name')]: 'Y I', [com('investor')]: [yale] });
    expect(cell(yale, ids.inv('commitments'))).toEqual([c]);

    const before = t.core.store.lastPosition();
    await change([{ op: 'set', record_id: c, field_id: com('investor'), from: [yale], to: [mit] }]);
    expect(t.core.store.lastPosition() - before).toBe(3);
    expect(cell(yale, ids.inv('commitments'))).toEqual([]);
    expect(cell(mit, ids.inv('commitments'))).toEqual([c]);

    await change([
      { op: 'set', record_id: mit, field_id: ids.inv('commitments'), from: [c], to: [] },
    ]);
    expect(cell(c, com('investor'))).toEqual([]);
    // A stale compare-and-set on either side is a conflict, as for any cell.
    const res = await change([
      { op: 'set', record_id: mit, field_id: ids.inv('commitments'), from: [c], to: [] },
    ]);
    expect(res.body.applied[0].changed).toBe(false);
    const stale = await change([
      { op: 'set', record_id: c, field_id: com('investor'), from: [mit], to: [yale] },
    ]);
    expect(stale.body.conflicts).toHaveLength(1);
  });

  it('rolls commitments up on the investor over the inverse link, and follows relinking', async () => {
    const { body: total } = await t
      .http()
      .post(`/api/fundraising/tables/${ids.investors}/fields`)
      .send({
        name: 'Total committed',
        type: 'rollup',
        options: {
          link_field_id: ids.inv('commitments'),
          target_field_id: com('amount'),
          formula: 'SUM(values)',
        },
      })
      .expect(201);
    const a = await create(ids.investors, { [ids.inv('name')]: 'A' });
    const b = await create(ids.investors, { [ids.inv('name')]: 'B' });
    const c = await create(ids.commitments, { [com('amount')]: 10, [com('investor')]: [a] });
    const computed = (id: string) => t.core.repo.record(id)?.computed?.[total.id];
    expect(computed(a)).toBe(10);
    await change([{ op: 'set', record_id: c, field_id: com('amount'), from: 10, to: 25 }]);
    expect(computed(a)).toBe(25);
    await change([{ op: 'set', record_id: c, field_id: com('investor'), from: [a], to: [b] }]);
    expect(computed(a)).toBe(0);
    expect(computed(b)).toBe(25);
  });

  it('filters and sorts a view by a rollup, and exports its values', async () => {
    const total = t.core.repo
      .table(ids.investors)!
      .fields.find((f) => f.name === 'Total committed')!;
    const big = await create(ids.investors, { [ids.inv('name')]: 'Big LP' });
    await create(ids.commitments, { [com('amount')]: 5_000, [com('investor')]: [big] });
    const { body: view } = await t
      .http()
      .post('/api/fundraising/views')
      .send({
        table_id: ids.investors,
        name: 'By total',
        personal: false,
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: total.id, operator: '>', value: 1_000 }],
        },
        sorts: [{ field_id: total.id, direction: 'desc' }],
      })
      .expect(201);
    const { body } = await t.http().get(`/api/fundraising/views/${view.id}/records`).expect(200);
    expect(body.records.map((r: { id: string }) => r.id)).toEqual([big]);
    // An edit of a linked record moves the investor out of the view: no event names the investor.
    const deal = cell(big, ids.inv('commitments')) as string[];
    await change([{ op: 'set', record_id: deal[0], field_id: com('amount'), from: 5_000, to: 10 }]);
    const after = await t.http().get(`/api/fundraising/views/${view.id}/records`).expect(200);
    expect(after.body.records).toEqual([]);
    await change([{ op: 'set', record_id: deal[0], field_id: com('amount'), from: 10, to: 5_000 }]);
    const csv = await t.http().get(`/api/fundraising/views/${view.id}/export.csv`).expect(200);
    expect(csv.text).toContain('Big LP');
    expect(csv.text).toMatch(/5,?000/);
  });

  it('undo and restore reverse both sides of a link, and the rollups follow', async () => {
    const total = t.core.repo
      .table(ids.investors)!
      .fields.find((f) => f.name === 'Total committed')!;
    const a = await create(ids.investors, { [ids.inv('name')]: 'Undo A' });
    const b = await create(ids.investors, { [ids.inv('name')]: 'Undo B' });
    const c = await create(ids.commitments, { [com('amount')]: 7, [com('investor')]: [a] });
    const computed = (id: string) => t.core.repo.record(id)?.computed?.[total.id];
    const position = t.core.store.lastPosition();
    await change([{ op: 'set', record_id: c, field_id: com('investor'), from: [a], to: [b] }]);
    expect([computed(a), computed(b)]).toEqual([0, 7]);
    const stack = (await t.http().get('/api/fundraising/undo-stack').expect(200)).body.entries;
    await t
      .http()
      .post('/api/fundraising/undo')
      .send({ correlation_id: stack[0].correlation_id })
      .expect(200);
    expect(cell(a, ids.inv('commitments'))).toEqual([c]);
    expect(cell(b, ids.inv('commitments'))).toEqual([]);
    expect([computed(a), computed(b)]).toEqual([7, 0]);

    await change([{ op: 'set', record_id: c, field_id: com('amount'), from: 7, to: 9 }]);
    await change([{ op: 'archive', record_id: c }]);
    expect(computed(a)).toBe(0);
    const preview = (
      await t.http().post('/api/fundraising/restore-preview').send({ position }).expect(200)
    ).body;
    await t.http().post('/api/fundraising/restore').send({ token: preview.token }).expect(200);
    expect(cell(c, com('investor'))).toEqual([a]);
    expect(computed(a)).toBe(7);
  });

  it('adds the inverse with a new link field, in the same batch', async () => {
    const before = t.core.store.lastPosition();
    const { body: link } = await t
      .http()
      .post(`/api/fundraising/tables/${ids.funds}/fields`)
      .send({ name: 'Anchor LPs', type: 'link', options: { table_id: ids.investors } })
      .expect(201);
    expect(t.core.store.lastPosition() - before).toBe(2);
    const inverse = t.core.repo
      .table(ids.investors)!
      .fields.find((f) => f.id === link.options.inverse_field_id)!;
    expect(inverse).toMatchObject({
      name: 'Funds',
      type: 'link',
      options: { table_id: ids.funds, inverse_field_id: link.id },
    });
  });

  it('deleting one side keeps the other as text (names), or removes it too', async () => {
    const inv = await create(ids.investors, { [ids.inv('name')]: 'Princeton' });
    const contact = await create(ids.contacts, {
      [ids.field('contacts', 'contact.name')]: 'Pat',
      [ids.field('contacts', 'contact.investor')]: [inv],
    });
    const side = ids.inv('contacts');
    // The default base's "Investor stage" lookup reads the link: it goes to #ERROR! with it.
    await t
      .http()
      .delete(`/api/fundraising/fields/${ids.field('contacts', 'contact.investor')}?cascade=true`)
      .expect(200);
    expect(t.core.repo.table(ids.investors)!.fields.find((f) => f.id === side)!.type).toBe('text');
    expect(cell(inv, side)).toBe('Pat');
    expect(contact).toBeDefined();
    const bad = await t
      .http()
      .delete(`/api/fundraising/fields/${com('fund')}?keep_inverse_as_text=maybe`)
      .expect(400);
    expect(bad.body.details).toMatchObject({ field: 'keep_inverse_as_text' });
    await t
      .http()
      .delete(`/api/fundraising/fields/${com('fund')}?keep_inverse_as_text=false&cascade=true`)
      .expect(200);
    expect(t.core.repo.table(ids.funds)!.fields.some((f) => f.role === 'fund.commitments')).toBe(
      false,
    );
  });

  it('an import that links records sets the other side of the links too, under its correlation', async () => {
    const inv = await create(ids.investors, { [ids.inv('name')]: 'Imported Partners' });
    const csv = Buffer.from('Name,Amount,Investor\nImported deal,1000,Imported Partners\n');
    const session = await uploadOk(t, csv, { table_id: ids.commitments }, 'commitments.csv');
    const result = await commitOk(t, session.id);
    const deal = [...t.core.repo.recordsOf(ids.commitments)].find(
      (r) => r.values[com('name')] === 'Imported deal',
    )!;
    expect(cell(deal.id, com('investor'))).toEqual([inv]);
    expect(cell(inv, ids.inv('commitments'))).toEqual([deal.id]);
    const mirrored = t.core.store
      .readAll(0, 1_000_000)
      .filter((e) => e.stream_id === `record-${inv}` && e.type === 'RecordUpdated');
    expect(mirrored.at(-1)!.metadata.correlation_id).toBe(result.correlation_id);
  });

  it('upgrades one-way links made before links had two sides, filling the inverse', async () => {
    const meta = { actor: SYSTEM_ACTOR, source: 'system' as const };
    const tableId = newId('tbl');
    const linkId = newId('fld');
    await t.core.commands.decide(meta, (ctx) =>
      decideCreateTable(
        {
          table_id: tableId,
          name: 'Meetings',
          fields: [
            { id: newId('fld'), name: 'Title', type: 'text' },
            { id: linkId, name: 'Investor', type: 'link', options: { table_id: ids.investors } },
          ],
        },
        ctx,
      ),
    );
    const inv = await create(ids.investors, { [ids.inv('name')]: 'Brown' });
    const m = await create(tableId, { [linkId]: [inv] });
    expect(await addLinkInverses(t.core.commands, t.core.repo)).toBe(true);
    const link = t.core.repo.table(tableId)!.fields.find((f) => f.id === linkId)!;
    const inverse = String(link.options.inverse_field_id);
    expect(cell(inv, inverse)).toEqual([m]);
    expect(await addLinkInverses(t.core.commands, t.core.repo)).toBe(false);
  });
});
