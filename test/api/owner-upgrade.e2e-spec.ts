import { decideAddField, decideRemoveField } from '@crm/domain';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { apiSuite } from '../support/api-suite';
import { baseIds, createMember } from '../support/test-app';

interface FieldJson {
  id: string;
  name: string;
  type: string;
  role: string | null;
}
interface TableJson {
  id: string;
  fields: FieldJson[];
  records: { id: string; values: Record<string, unknown> }[];
}

/** Waits for a condition the processor brings about after a commit (no fixed sleep). */
async function eventually<T>(read: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('the condition never came true');
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * The investors' "Owner" of a base from before people fields is text. The upgrade turns it into a
 * people field once an account exists: owners that name a member become them, the rest is kept in
 * "Owner (text)". Here the base is put back as an older version made it (an Owner of text, owners typed),
 * and an account made afterwards sets the upgrade off, as the first account does on such a base.
 */
describe('the Owner upgrade', () => {
  const t = apiSuite({ member: { name: 'Mia Member', email: 'mia@fund.example' } });
  let ids: Awaited<ReturnType<typeof baseIds>>;
  const investors = async () => {
    const state = await t.http().get('/api/fundraising/state').expect(200);
    return state.body.tables.find((x: TableJson) => x.id === ids.investors) as TableJson;
  };
  const owners: Record<string, string> = {
    'Exact LP': 'Ada Admin',
    'Case LP': '  mia MEMBER ',
    'Email LP': 'MIA@fund.example',
    'Former LP': 'Old Partner',
    'Nick LP': 'Ada',
  };
  const recordIds: Record<string, string> = {};
  let textOwner = '';

  beforeAll(async () => {
    ids = await baseIds(t);
    // The base as an older version made it: an Owner of text (never retyped), owners typed in it.
    const system = { actor: SYSTEM_ACTOR, source: 'system' as const };
    await t.core.commands.decide(system, (ctx) =>
      decideRemoveField({ field_id: ids.inv('owner') }, ctx),
    );
    textOwner = newId('fld');
    await t.core.commands.decide(system, (ctx) =>
      decideAddField(
        {
          table_id: ids.investors,
          field: { id: textOwner, name: 'Owner', type: 'text', role: 'investor.owner' },
        },
        ctx,
      ),
    );
    const changes = Object.entries(owners).map(([name, o]) => ({
      op: 'create',
      table_id: ids.investors,
      values: { [ids.inv('name')]: name, [textOwner]: o },
    }));
    await t.http().post('/api/fundraising/changes').send({ changes }).expect(200);
    for (const r of (await investors()).records)
      recordIds[String(r.values[ids.inv('name')])] = r.id;
  });

  it('converts matching owners to members, keeps the rest as text, in one recorded batch', async () => {
    const before = (await t.http().get('/api/fundraising/state').expect(200)).body.version;
    await createMember(t, { name: 'Noa New', email: 'noa@fund.example' });
    const owner = textOwner;
    const table = await eventually(async () => {
      const inv = await investors();
      return inv.fields.find((f) => f.id === owner)?.type === 'user' ? inv : undefined;
    });
    const kept = table.fields.find((f) => f.name === 'Owner (text)')!;
    expect(kept.type).toBe('text');
    const valuesOf = (name: string) => table.records.find((r) => r.id === recordIds[name])!.values;
    expect(valuesOf('Exact LP')[owner]).toEqual([t.adminId]);
    expect(valuesOf('Case LP')[owner]).toEqual([t.member.id]);
    expect(valuesOf('Email LP')[owner]).toEqual([t.member.id]);
    expect(valuesOf('Exact LP')[kept.id]).toBeUndefined();
    expect(valuesOf('Former LP')[kept.id]).toBe('Old Partner');
    expect(valuesOf('Nick LP')[kept.id]).toBe('Ada');
    expect(valuesOf('Former LP')[owner] ?? []).toEqual([]);

    const feed = await t.http().get('/api/activity?limit=20').expect(200);
    const batch = feed.body.entries.find(
      (e: { source: string; batch: unknown }) => e.source === 'migration' && e.batch,
    );
    expect(batch).toBeDefined();
    expect(batch.actor.id).toBe('system');
    const rows = await t
      .http()
      .get(`/api/activity/batches/${batch.correlation_id}?limit=100`)
      .expect(200);
    const types = rows.body.entries.map((e: { type: string }) => e.type);
    expect(types.filter((x: string) => x === 'FieldAdded')).toHaveLength(1);
    expect(types.filter((x: string) => x === 'FieldRetyped')).toHaveLength(1);
    // What could not be matched shows in the batch: kept in "Owner (text)", cleared from Owner.
    const changes = rows.body.entries.flatMap(
      (e: { changes: { field_name: string; from: unknown; to: unknown }[] }) => e.changes,
    );
    expect(changes).toContainEqual(
      expect.objectContaining({ field_name: 'Owner (text)', from: null, to: 'Old Partner' }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({ field_name: 'Owner', from: 'Old Partner', to: [] }),
    );
    const after = (await t.http().get('/api/fundraising/state').expect(200)).body.version;
    // The member's account, then the batch: the field, 2 kept texts, the retype, 5 owners.
    expect(after - before).toBe(1 + 1 + 2 + 1 + 5);
  });

  it('leaves alone an Owner someone retyped to text since', async () => {
    await t.http().patch(`/api/fundraising/fields/${textOwner}`).send({ type: 'text' }).expect(200);
    await createMember(t, { name: 'Ida Later', email: 'ida@fund.example' });
    await eventually(async () => {
      const p = (await t.http().get('/api/admin/processors').expect(200)).body.processors.find(
        (x: { name: string }) => x.name === 'owner-field-upgrade',
      );
      return p && p.lag === 0 ? p : undefined;
    });
    expect((await investors()).fields.find((f) => f.id === textOwner)?.type).toBe('text');
  });

  it('does nothing more when another account is made later', async () => {
    const before = (await t.http().get('/api/fundraising/state').expect(200)).body.version;
    const next = await createMember(t, { name: 'Old Partner', email: 'old@fund.example' });
    const state = await t.http().get('/api/admin/processors').expect(200);
    await eventually(async () => {
      const p = (await t.http().get('/api/admin/processors').expect(200)).body.processors.find(
        (x: { name: string }) => x.name === 'owner-field-upgrade',
      );
      return p && p.lag === 0 ? p : undefined;
    });
    expect(
      state.body.processors.some((x: { name: string }) => x.name === 'owner-field-upgrade'),
    ).toBe(true);
    const after = (await t.http().get('/api/fundraising/state').expect(200)).body.version;
    expect(after - before).toBe(1);
    expect(next.id).toBeTruthy();
  });
});
