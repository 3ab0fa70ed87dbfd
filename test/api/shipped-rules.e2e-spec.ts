import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDefaultBase } from '../../apps/api/src/capabilities/fundraising';
import { ProcessorRunner } from '../../apps/api/src/infrastructure/processing/processor-runner';
import { apiSuite } from '../support/api-suite';
import { openCore } from '../support/core-handles';
import { baseIds } from '../support/test-app';

interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
}

/** A new base ships the fund's two habits as rules, switched off until the fund turns them on. */
describe('the shipped rules', () => {
  const t = apiSuite();
  let ids: Awaited<ReturnType<typeof baseIds>>;
  let rules: Rule[];

  beforeAll(async () => {
    ids = await baseIds(t);
    rules = (await t.http().get('/api/automations').expect(200)).body.rules;
  });

  const named = (name: string) => rules.find((r) => r.name === name)!;

  it('a new base has both, disabled, made through the create-rule command', () => {
    expect(rules).toHaveLength(2);
    expect(named('No contact in 30 days → follow-up')).toMatchObject({
      enabled: false,
      version: 1,
      trigger: {
        type: 'schedule',
        table_id: ids.investors,
        every: 'day',
        at: '08:00',
        time_zone: 'UTC',
      },
      conditions: {
        conjunction: 'and',
        conditions: [
          { field_id: ids.inv('last_contacted'), operator: 'more_than_days_ago', value: 30 },
        ],
      },
      actions: [{ type: 'set_membership', list: 'follow_up', op: 'add' }],
    });
    expect(named('Passed → graveyard')).toMatchObject({
      enabled: false,
      version: 1,
      trigger: {
        type: 'record_updated',
        table_id: ids.investors,
        fields: [ids.inv('stage')],
        to: { operator: 'is', value: 'Passed' },
      },
      actions: [{ type: 'set_membership', list: 'graveyard', op: 'move' }],
    });
    for (const rule of rules)
      expect(t.core.store.readStream(`automation-${rule.id}`).map((e) => e.type)).toEqual([
        'AutomationRuleCreated',
      ]);
  });

  async function passedInvestor(name: string): Promise<string> {
    const created = await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          {
            op: 'create',
            table_id: ids.investors,
            values: { [ids.inv('name')]: name, [ids.inv('stage')]: 'Engaged' },
          },
        ],
      })
      .expect(200);
    const id = created.body.applied[0].record_id as string;
    await t
      .http()
      .post('/api/fundraising/changes')
      .send({
        changes: [
          { op: 'set', record_id: id, field_id: ids.inv('stage'), from: 'Engaged', to: 'Passed' },
        ],
      })
      .expect(200);
    await t.app.get(ProcessorRunner).settled();
    return id;
  }
  const graveyard = async () =>
    (
      (await t.http().get('/api/fundraising/memberships?list=graveyard').expect(200)).body
        .memberships as { record_id: string; rule_id: string | null }[]
    ).map((m) => [m.record_id, m.rule_id]);

  it('off, it moves nobody; switched on, an investor moved to Passed lands on the graveyard', async () => {
    const before = await passedInvestor('Before');
    expect(await graveyard()).not.toContainEqual([before, expect.anything()]);
    const rule = named('Passed → graveyard');
    await t.http().post(`/api/automations/${rule.id}/toggle`).send({ enabled: true }).expect(200);
    const after = await passedInvestor('After');
    expect(await graveyard()).toContainEqual([after, rule.id]);
    expect(await graveyard()).not.toContainEqual([before, expect.anything()]);
  });
});

describe('an existing database', () => {
  it('gets no shipped rules when it is upgraded: only a new install has them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-shipped-rules-'));
    const databaseFile = join(dir, 'crm.sqlite');
    try {
      // A base made before rules shipped: its log already holds events at the next start.
      const old = await openCore({ databaseFile, seed: false });
      await seedDefaultBase(old.commands, old.repo);
      await old.close();
      const upgraded = await openCore({ databaseFile });
      const count = upgraded.db.prepare(`SELECT COUNT(*) AS n FROM automation_rules`).get() as {
        n: number;
      };
      await upgraded.close();
      expect(count.n).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
