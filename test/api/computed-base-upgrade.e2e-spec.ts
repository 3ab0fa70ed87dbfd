import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decideAddLinkInverses,
  decideCreateTable,
  decideSaveView,
  defaultFundraisingBase,
} from '@crm/domain';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openCore } from '../support/core-handles';
import { startTestApp, type TestApp } from '../support/test-app';

interface FieldJson {
  id: string;
  name: string;
  type: string;
  role: string | null;
  options: Record<string, unknown>;
}
interface TableJson {
  id: string;
  role: string;
  fields: FieldJson[];
  records: { id: string; values: Record<string, unknown> }[];
}

/**
 * A base made by the previous version: the default base as it was seeded then (a typed "Committed
 * amount"), its links given their other side, investors with typed amounts and their commitments.
 */
async function previousVersionBase(dir: string): Promise<Record<string, string>> {
  const core = await openCore({ databaseFile: join(dir, 'crm.sqlite'), seed: false });
  const meta = { actor: SYSTEM_ACTOR, source: 'system' as const };
  const base = defaultFundraisingBase((prefix) => newId(prefix));
  await core.commands.executeAll(meta, async () => {
    for (const t of base.tables) await core.commands.decide(meta, (c) => decideCreateTable(t, c));
    for (const v of base.views) await core.commands.decide(meta, (c) => decideSaveView(v, c));
    const inverse_ids: Record<string, string> = {};
    for (const t of base.tables)
      for (const f of t.fields) if (f.type === 'link') inverse_ids[f.id] = newId('fld');
    await core.commands.decide(meta, (c) => decideAddLinkInverses({ inverse_ids }, c));
  });
  const field = (tableRole: string, role: string) =>
    base.tables.find((t) => t.role === tableRole)!.fields.find((f) => f.role === role)!.id;
  const table = (role: string) => base.tables.find((t) => t.role === role)!.table_id;
  const inv = (role: string) => field('investors', `investor.${role}`);
  const com = (role: string) => field('commitments', `commitment.${role}`);
  const ids: Record<string, string> = {};
  const investor = (name: string, committed: number | null) => {
    ids[name] = newId('rec');
    return {
      op: 'create' as const,
      table_id: table('investors'),
      record_id: ids[name],
      values: { [inv('name')]: name, [inv('committed_amount')]: committed },
    };
  };
  const commitment = (investorName: string, amount: number, status: string) => ({
    op: 'create' as const,
    table_id: table('commitments'),
    values: {
      [com('name')]: `${investorName} ${status}`,
      [com('investor')]: [ids[investorName]],
      [com('amount')]: amount,
      [com('status')]: status,
    },
  });
  await core.commands.applyChanges(
    [
      investor('Agrees LP', 300),
      investor('Differs LP', 500),
      investor('Untyped LP', null),
      investor('Soft LP', 50),
    ],
    meta,
  );
  await core.commands.applyChanges(
    [
      commitment('Agrees LP', 100, 'Hard'),
      commitment('Agrees LP', 200, 'Funded'),
      commitment('Differs LP', 400, 'Signed'),
      commitment('Untyped LP', 70, 'Hard'),
      commitment('Soft LP', 50, 'Soft'),
    ],
    meta,
  );
  await core.close();
  return ids;
}

describe('the upgrade to the computed default base', () => {
  let dir: string;
  let app: TestApp | undefined;
  let ids: Record<string, string>;
  const state = async () =>
    (await app!.http().get('/api/fundraising/state').expect(200)).body as {
      version: number;
      tables: TableJson[];
    };
  const eventCount = () =>
    (app!.core.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-computed-base-'));
    ids = await previousVersionBase(dir);
    app = await startTestApp({ CRM_DATA_DIR: dir });
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after start, the fields exist, computed, with the typed amounts kept', async () => {
    const { tables } = await state();
    const byRole = (role: string) => tables.find((t) => t.role === role)!;
    const investors = byRole('investors');
    const f = (t: TableJson, role: string) => t.fields.find((x) => x.role === role)!;
    const committed = f(investors, 'investor.committed_amount');
    const typed = f(investors, 'investor.committed_typed');
    const count = f(investors, 'investor.commitments_count');
    expect(committed).toMatchObject({ name: 'Committed amount', type: 'rollup' });
    expect(committed.options).toMatchObject({ formula: 'SUM(values)', result_type: 'number' });
    expect(typed).toMatchObject({ name: 'Committed (typed)', type: 'currency' });
    expect(count.type).toBe('count');
    const values = (name: string) => investors.records.find((r) => r.id === ids[name])!.values;
    expect(values('Agrees LP')).toMatchObject({ [committed.id]: 300, [typed.id]: 300 });
    expect(values('Differs LP')).toMatchObject({ [committed.id]: 400, [typed.id]: 500 });
    expect(values('Untyped LP')[committed.id]).toBe(70);
    expect(values('Untyped LP')[typed.id] ?? null).toBeNull();
    // A soft commitment is not money committed.
    expect(values('Soft LP')).toMatchObject({ [committed.id]: 0, [typed.id]: 50, [count.id]: 1 });

    const funds = byRole('funds');
    expect(f(funds, 'fund.committed').type).toBe('rollup');
    expect(f(funds, 'fund.percent_of_target')).toMatchObject({ name: '% of target' });
    expect(f(byRole('contacts'), 'contact.investor_stage')).toMatchObject({
      name: 'Investor stage',
      type: 'lookup',
    });
  });

  it('reports the typed amounts that differ from the commitments, in a recorded batch', async () => {
    const feed = await app!.http().get('/api/activity?limit=20').expect(200);
    const batch = feed.body.entries.find(
      (e: { source: string; batch: unknown }) => e.source === 'migration' && e.batch,
    );
    expect(batch).toBeDefined();
    const retyped = app!.core.db
      .prepare("SELECT data FROM events WHERE type = 'FieldRetyped' ORDER BY position DESC LIMIT 1")
      .get() as { data: string };
    // Agrees (300 = 100 + 200) is not listed; Differs (500 ≠ 400) and Soft (50 ≠ 0) are.
    expect(JSON.parse(retyped.data).unconverted).toEqual([
      { record_id: ids['Differs LP'], value: 500 },
      { record_id: ids['Soft LP'], value: 50 },
    ]);
  });

  it('a second start does nothing', async () => {
    const before = eventCount();
    await app!.close();
    app = await startTestApp({ CRM_DATA_DIR: dir });
    expect(eventCount()).toBe(before);
    const investors = (await state()).tables.find((t) => t.role === 'investors')!;
    expect(investors.fields.filter((x) => x.name.startsWith('Committed (typed)'))).toHaveLength(1);
  });

  it('a fresh base is made computed, without a typed field', async () => {
    const fresh = await startTestApp();
    try {
      const res = await fresh.http().get('/api/fundraising/state').expect(200);
      const investors = (res.body.tables as TableJson[]).find((t) => t.role === 'investors')!;
      expect(investors.fields.find((x) => x.role === 'investor.committed_amount')!.type).toBe(
        'rollup',
      );
      expect(investors.fields.some((x) => x.role === 'investor.committed_typed')).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});
