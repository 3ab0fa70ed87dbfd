'use strict';
/**
 * Links that compute, at the scale of 100,000 investors and 300,000 commitments (three each), with
 * the default base's rollup ("Committed amount") and count on investors and rollup and formula on
 * funds, and 3 more rollups on investors and a count on funds added here, over the two-way links:
 * - adding a rollup field to the investors (target ≤ 3 s, the table recomputed through the formula
 *   backlog, worked off here in one go to time it);
 * - an HTTP edit of a commitment's amount, which recomputes its investor's and its fund's rollups in
 *   the same transaction (target p50 ≤ 1.5 ms, p99 ≤ 6 ms).
 * BENCH_INVESTORS and BENCH_FUNDS scale it (commitments are three per investor).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { client } = require('./lib/http');
const { summary, now } = require('./lib/stats');
const { startServer, ROOT } = require('./lib/server');
const { openCore } = require('./lib/core-handles');

const domain = require(path.join(ROOT, 'libs/domain/dist'));

const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 100_000);
const COMMITMENTS = INVESTORS * 3;
const FUNDS = Number(process.env.BENCH_FUNDS ?? 20);
const SYSTEM = { id: 'bench', name: 'Bench', role: 'system' };
const STATUSES = ['Soft', 'Hard', 'Signed', 'Funded'];
const id = (prefix, n) => `rec${prefix}${String(n).padStart(13, '0')}`;

/**
 * Funds, investors, then commitments grouped by fund, 5,000 to a batch (as an import would). A
 * commitment's link writes its investor's and its fund's side of the link; a batch writes each side
 * once, so the larger the batch the fewer times a fund's list of thousands of ids is rewritten and
 * logged (in batches of 1,000, and with a side written once per create, the seed took the better
 * part of half an hour). The records, values and links seeded are as before.
 */
async function seed(core) {
  const byRole = (role) => core.repo.tableByRole(role);
  const f = (table, role) => table.fields.find((x) => x.role === role).id;
  const [inv, fund, com] = [byRole('investors'), byRole('funds'), byRole('commitments')];
  const create = async (rows, size) => {
    for (let i = 0; i < rows.length; i += size)
      await core.commands.applyChanges(rows.slice(i, i + size), {
        actor: SYSTEM,
        source: 'import',
      });
  };
  await create(
    Array.from({ length: FUNDS }, (_, n) => ({
      op: 'create',
      table_id: fund.id,
      record_id: id('F', n),
      values: { [f(fund, 'fund.name')]: `Fund ${n}` },
    })),
    FUNDS,
  );
  await create(
    Array.from({ length: INVESTORS }, (_, n) => ({
      op: 'create',
      table_id: inv.id,
      record_id: id('I', n),
      values: { [f(inv, 'investor.name')]: `Investor ${n}` },
    })),
    5000,
  );
  const commitment = (n) => ({
    op: 'create',
    table_id: com.id,
    record_id: id('C', n),
    values: {
      [f(com, 'commitment.name')]: `Commitment ${n}`,
      [f(com, 'commitment.amount')]: 250_000 + (n % 40) * 50_000,
      [f(com, 'commitment.status')]: STATUSES[n % 4],
      [f(com, 'commitment.investor')]: [id('I', n % INVESTORS)],
      [f(com, 'commitment.fund')]: [id('F', n % FUNDS)],
    },
  });
  const byFund = [];
  for (let k = 0; k < FUNDS; k++) for (let n = k; n < COMMITMENTS; n += FUNDS) byFund.push(n);
  await create(byFund.map(commitment), 5000);
  return { inv, fund, com, f };
}

async function addRollups(core, t) {
  const { newId } = require(path.join(ROOT, 'apps/api/dist/infrastructure/clock'));
  const amount = t.f(t.com, 'commitment.amount');
  const hard = {
    conjunction: 'or',
    conditions: ['Hard', 'Signed', 'Funded'].map((value) => ({
      field_id: t.f(t.com, 'commitment.status'),
      operator: 'is',
      value,
    })),
  };
  const add = async (table, name, type, options) => {
    const t0 = now();
    await core.commands.decide({ actor: SYSTEM, source: 'system' }, (ctx) =>
      domain.decideAddField(
        { table_id: table.id, field: { id: newId('fld'), name, type, options } },
        ctx,
      ),
    );
    await core.uow.write(() => core.backlog.finishAll());
    return now() - t0;
  };
  const viaInvestor = { link_field_id: t.f(t.inv, 'investor.commitments') };
  const viaFund = { link_field_id: t.f(t.fund, 'fund.commitments') };
  const added = {
    committed: await add(t.inv, 'Committed', 'rollup', {
      ...viaInvestor,
      target_field_id: amount,
      formula: 'SUM(values)',
      conditions: hard,
    }),
    largest: await add(t.inv, 'Largest', 'rollup', {
      ...viaInvestor,
      target_field_id: amount,
      formula: 'MAX(values)',
    }),
    amounts: await add(t.inv, 'Amounts', 'rollup', {
      ...viaInvestor,
      target_field_id: amount,
      formula: 'ARRAYJOIN(values, "; ")',
    }),
    // The default base has the investors' "Commitment count" and the funds' "Committed" rollup (and
    // "% of target", a formula over it): the bench adds the rest.
    fund_count: await add(t.fund, 'Commitments (n)', 'count', viaFund),
  };
  return added;
}

async function httpEdits(server, t) {
  const c = client(server.url, server.headers);
  const amount = t.f(t.com, 'commitment.amount');
  const values = new Map();
  const edit = async (n) => {
    const record_id = id('C', (n * 7919) % COMMITMENTS);
    const from = values.get(record_id) ?? 250_000 + (((n * 7919) % COMMITMENTS) % 40) * 50_000;
    const to = 100_000 + n;
    const t0 = now();
    const res = await c.request('POST', '/api/fundraising/changes', {
      changes: [{ op: 'set', record_id, field_id: amount, from, to }],
    });
    const ms = now() - t0;
    if (res.status !== 200) throw new Error(`edit answered ${res.status}: ${res.text}`);
    const body = res.json();
    values.set(record_id, body.conflicts.length ? body.conflicts[0].current : to);
    return ms;
  };
  for (let i = 0; i < 100; i++) await edit(i); // warm-up
  const ms = [];
  for (let i = 0; i < 1000; i++) ms.push(await edit(1000 + i));
  c.close();
  return summary(ms);
}

async function runLinksBench(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-links-'));
  try {
    log(`links: seeding ${INVESTORS} investors, ${COMMITMENTS} commitments, ${FUNDS} funds…`);
    const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite') });
    const t0 = now();
    const tables = await seed(core);
    const seedMs = now() - t0;
    log(`links: seeded in ${(seedMs / 1000).toFixed(1)} s; adding rollups…`);
    const added = await addRollups(core, tables);
    log(`links: first rollup on investors added in ${added.committed.toFixed(0)} ms`);
    const probe = core.repo.record(id('I', 1)).computed;
    await core.close();
    const server = await startServer(dir);
    let edits;
    try {
      edits = await httpEdits(server, tables);
    } catch (e) {
      log(`server output:\n${server.output()}`);
      throw e;
    } finally {
      await server.stop();
    }
    log(
      `links: HTTP edit of an amount p50 ${edits.p50.toFixed(2)} ms, p99 ${edits.p99.toFixed(2)} ms`,
    );
    return {
      investors: INVESTORS,
      commitments: COMMITMENTS,
      funds: FUNDS,
      seed_ms: seedMs,
      add_rollup_ms: added,
      add_rollup_target_ms: 3000,
      http_edit_amount: edits,
      http_edit_target: { p50: 1.5, p99: 6 },
      sample_investor_values: probe,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runLinksBench };

if (require.main === module) {
  runLinksBench((m) => process.stderr.write(`[bench] ${m}\n`)).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
