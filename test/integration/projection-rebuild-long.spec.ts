import fc from 'fast-check';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { type ChangeInput } from '@crm/contracts';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { dumpReadModels } from '../support/read-models';
import { openTempCore, type TempCore } from '../support/temp-core';

/**
 * A rebuild holds records in memory, updates them in place and reads the log in batches; live
 * projection writes every event as it comes. Over a generated history long enough to span many
 * replay batches and yields, in every relational table with its links, both must agree byte for byte.
 */
describe('projection rebuild over a long history', () => {
  let core: TempCore;

  beforeEach(async () => {
    core = await openTempCore('crm-rebuild-long-');
  });
  afterEach(async () => {
    await core.dispose();
  });

  it('rebuilds what was projected live, in one go and in steps', async () => {
    const table = (role: string) => core.repo.tableByRole(role)!;
    const field = (role: string, fieldRole: string) =>
      table(role).fields.find((f) => f.role === fieldRole)!.id;
    const inv = table('investors');
    const funds = table('funds');
    const contacts = table('contacts');
    const commitments = table('commitments');
    const meta = (n: number) => ({
      actor: { ...SYSTEM_ACTOR, id: `usr_${n % 4}`, name: `User ${n % 4}` },
      source: 'grid' as const,
    });

    const investorIds = Array.from({ length: 1000 }, () => newId('rec'));
    const fundIds = Array.from({ length: 5 }, () => newId('rec'));
    await core.commands.applyChanges(
      fundIds.map((id, k) => ({
        op: 'create',
        table_id: funds.id,
        record_id: id,
        values: {
          [field('funds', 'fund.name')]: `Fund ${k}`,
          [field('funds', 'fund.vintage')]: 2020 + k,
        },
      })),
      meta(0),
    );
    await core.commands.applyChanges(
      investorIds.map((id, k) => ({
        op: 'create',
        table_id: inv.id,
        record_id: id,
        values: {
          [field('investors', 'investor.name')]: `LP ${k}`,
          [field('investors', 'investor.tags')]: ['ESG'],
        },
      })),
      meta(1),
    );

    // What each cell holds now, so that every edit names the value it replaces.
    const current = new Map<string, unknown>();
    const archived = new Set<string>();
    const editable = [
      { role: 'investor.notes', values: fc.string({ maxLength: 12 }) },
      { role: 'investor.stage', values: fc.constantFrom('Lead', 'Engaged', 'Diligence', null) },
      {
        role: 'investor.target_commitment',
        values: fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.constant(null)),
      },
      {
        role: 'investor.tags',
        values: fc.subarray(['Warm intro', 'Re-up', 'First close', 'Anchor', 'ESG']),
      },
      {
        role: 'investor.last_contacted',
        values: fc.constantFrom('2026-01-31', '2025-02-28', null),
      },
    ];
    const edit = fc
      .nat(editable.length - 1)
      .chain((which) =>
        fc.tuple(fc.constant(which), editable[which].values as fc.Arbitrary<unknown>),
      );
    const steps = fc.sample(fc.noBias(fc.tuple(fc.nat(10_000), fc.nat(99), edit)), {
      numRuns: 44_000,
      seed: 7,
    });
    for (let batch = 0; batch < steps.length; batch += 500) {
      const changes: ChangeInput[] = [];
      const touched = new Set<string>();
      for (const [k, [n, roll, [which, value]]] of steps.slice(batch, batch + 500).entries()) {
        // Spread over the records (generated numbers lean small), each record touched once a batch.
        const record_id = investorIds[((batch + k) * 7919 + (n % 3)) % investorIds.length];
        if (touched.has(record_id)) continue;
        touched.add(record_id);
        if (roll < 3) {
          changes.push({ op: archived.has(record_id) ? 'unarchive' : 'archive', record_id });
          if (archived.has(record_id)) archived.delete(record_id);
          else archived.add(record_id);
          continue;
        }
        if (roll < 6 && !archived.has(record_id)) {
          // Links in both directions, so that the relational rows carry foreign keys.
          changes.push({
            op: 'create',
            table_id: contacts.id,
            values: {
              [field('contacts', 'contact.name')]: `Contact ${batch}-${n}`,
              [field('contacts', 'contact.investor')]: [record_id],
            },
          });
          changes.push({
            op: 'create',
            table_id: commitments.id,
            values: {
              [field('commitments', 'commitment.investor')]: [record_id],
              [field('commitments', 'commitment.fund')]: [fundIds[n % fundIds.length]],
              [field('commitments', 'commitment.amount')]: n * 1000,
            },
          });
          continue;
        }
        if (archived.has(record_id)) continue;
        const field_id = field('investors', editable[which].role);
        const key = `${record_id}/${field_id}`;
        const to = field_id === field('investors', 'investor.tags') && value === null ? [] : value;
        const from = current.has(key)
          ? current.get(key)
          : field_id === field('investors', 'investor.tags')
            ? ['ESG']
            : null;
        changes.push({ op: 'set', record_id, field_id, from, to });
        current.set(key, to);
      }
      const result = await core.commands.applyChanges(changes, meta(batch));
      expect(result.conflicts).toEqual([]);
    }
    // More than the events between two turns of a stepped rebuild (20,000), and many replay batches.
    expect(core.store.lastPosition()).toBeGreaterThan(20_000);
    const live = dumpReadModels(core.db);

    await core.runner.rebuild();
    expect(dumpReadModels(core.db)).toBe(live);

    let turns = 0;
    const { events } = await core.runner.rebuildInSteps(async () => {
      turns++;
    });
    expect(events).toBe(core.store.lastPosition());
    expect(turns).toBeGreaterThan(0);
    expect(dumpReadModels(core.db)).toBe(live);
    expect(core.runner.atHead()).toBe(true);
  });
});
