import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  amountCurrency,
  currencyFieldOf,
  decideCreateTable,
  defaultFundraisingBase,
} from '@crm/domain';
import { type FieldRetypedData, streams } from '@crm/events';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { type Core, openCore } from '../support/core-handles';

/**
 * A base made before amounts followed the fund's currency showed a CHF fund's commitments and its
 * target in dollars. At start, its Amount and Target size are set to follow the fund's currency as
 * a person would in the field's settings, in history as the system's; a base set so is left alone.
 */
describe('upgrade at start: amounts follow their fund’s currency', () => {
  let dir: string;
  let core: Core | null = null;
  const open = async (seed = true) =>
    (core = await openCore({ databaseFile: join(dir, 'crm.sqlite'), seed }));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-fund-currencies-'));
  });
  afterEach(async () => {
    await core?.close();
    core = null;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The default base as made before: fixed-dollar amounts; a CHF fund with a commitment. */
  async function givenOldBase(c: Core) {
    const meta = { actor: SYSTEM_ACTOR, source: 'system' as const, correlation_id: newId('cor') };
    const { tables } = defaultFundraisingBase((prefix) => newId(prefix));
    for (const t of tables) {
      const fields = t.fields.map((f) =>
        f.role === 'commitment.amount' || f.role === 'fund.target_size'
          ? { ...f, options: { symbol: '$', precision: 0 } }
          : f,
      );
      await c.commands.decide(meta, (ctx) => decideCreateTable({ ...t, fields }, ctx));
    }
    const table = (role: string) => c.repo.tableByRole(role)!;
    const f = (role: string, field: string) => table(role).fields.find((x) => x.role === field)!;
    const fund = newId('rec');
    const commitment = newId('rec');
    await c.commands.applyChanges(
      [
        {
          op: 'create',
          table_id: table('funds').id,
          record_id: fund,
          values: {
            [f('funds', 'fund.name').id]: 'Alpine I',
            [f('funds', 'fund.currency').id]: 'CHF',
            [f('funds', 'fund.target_size').id]: 40_000_000,
          },
        },
        {
          op: 'create',
          table_id: table('commitments').id,
          record_id: commitment,
          values: {
            [f('commitments', 'commitment.amount').id]: 1_250_000,
            [f('commitments', 'commitment.fund').id]: [fund],
          },
        },
      ],
      meta,
    );
    return { fund, commitment, f };
  }

  /** The currency an amount reads in, as the grid and the summaries read it. */
  function currencyOf(c: Core, recordId: string, role: string) {
    const record = c.repo.record(recordId)!;
    const table = c.repo.table(record.table_id)!;
    const field = table.fields.find((x) => x.role === role)!;
    const from = field.options.currency_from;
    const via = typeof from === 'string' ? record.values[from] : null;
    return amountCurrency(field, via, (id) => {
      const linked = c.repo.record(id);
      const holder = linked && currencyFieldOf(c.repo.table(linked.table_id)!.fields);
      return holder ? (linked.values[holder.id] as string | null) : null;
    });
  }

  it('given an old base with a CHF fund, when started, then its amounts read in CHF and history says so; a second start changes nothing', async () => {
    const old = await open(false);
    const { fund, commitment, f } = await givenOldBase(old);
    // Its dollar sign read as dollars, whatever the fund's currency.
    expect(currencyOf(old, commitment, 'commitment.amount')).toBe('USD');
    expect(currencyOf(old, fund, 'fund.target_size')).toBe('USD');
    await old.close();

    const started = await open();
    expect(currencyOf(started, commitment, 'commitment.amount')).toBe('CHF');
    expect(currencyOf(started, fund, 'fund.target_size')).toBe('CHF');
    // Amounts are kept as stored; only their currency changed.
    expect(started.repo.record(commitment)!.values[f('commitments', 'commitment.amount').id]).toBe(
      1_250_000,
    );
    const retypes = started.store
      .readAll(0, 100_000)
      .filter(
        (e) =>
          e.type === 'FieldRetyped' &&
          e.metadata.source === 'migration' &&
          'currency_from' in (e.data as FieldRetypedData).to.options,
      );
    expect(
      retypes.map((e) => {
        const d = e.data as FieldRetypedData;
        return [d.field_id, d.from.options.currency_from, d.to.options.currency_from];
      }),
    ).toEqual([
      [f('funds', 'fund.target_size').id, undefined, f('funds', 'fund.currency').id],
      [f('commitments', 'commitment.amount').id, undefined, f('commitments', 'commitment.fund').id],
    ]);
    expect(retypes.map((e) => e.metadata.actor_id)).toEqual(['system', 'system']);
    expect(new Set(retypes.map((e) => e.metadata.correlation_id)).size).toBe(1);
    expect(retypes[0].stream_id).toBe(streams.table(started.repo.tableByRole('funds')!.id));
    const position = started.store.lastPosition();
    await started.close();

    const again = await open();
    expect(again.store.lastPosition()).toBe(position);
    expect(currencyOf(again, commitment, 'commitment.amount')).toBe('CHF');
  });

  it('given a base made with amounts that follow the fund, when started again, then nothing is appended', async () => {
    const first = await open();
    const position = first.store.lastPosition();
    await first.close();
    const again = await open();
    expect(again.store.lastPosition()).toBe(position);
  });

  it('given funds without a Currency field, when started, then the amounts stay as they are', async () => {
    const old = await open(false);
    const meta = { actor: SYSTEM_ACTOR, source: 'system' as const, correlation_id: newId('cor') };
    const { tables } = defaultFundraisingBase((prefix) => newId(prefix));
    for (const t of tables) {
      const fields = t.fields
        .filter((x) => x.role !== 'fund.currency')
        .map((x) => (x.type === 'currency' ? { ...x, options: { symbol: '$', precision: 0 } } : x));
      await old.commands.decide(meta, (ctx) => decideCreateTable({ ...t, fields }, ctx));
    }
    await old.close();
    const started = await open();
    const retyped = started.store
      .readAll(0, 100_000)
      .filter((e) => e.type === 'FieldRetyped' && e.metadata.source === 'migration')
      .map((e) => (e.data as FieldRetypedData).to.options);
    expect(retyped.filter((o) => 'currency_from' in o)).toEqual([]);
  });
});
