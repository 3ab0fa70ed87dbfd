'use strict';
/**
 * The pipeline dashboard and time travel over views (targets: the dashboard on 100,000 investors,
 * 300,000 commitments and 5 funds p50 ≤ 150 ms; a view as of a moment 1,000,000 events back p50 ≤
 * 1 s; the diff between two such moments ≤ 2 s). Sizes can be reduced for a quick run:
 * BENCH_DASHBOARD_INVESTORS, BENCH_DASHBOARD_COMMITMENTS, BENCH_DASHBOARD_BACK (events).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { summary, now } = require('./lib/stats');
const { ROOT } = require('./lib/server');
const { seedInvestors, growLog, recordId, openCore, SYSTEM } = require('./lib/dataset');
const { snapshotter } = require('./history.bench');

const { createHistory } = require(
  path.join(ROOT, 'apps/api/dist/capabilities/history/history.providers'),
);
const { DashboardService } = require(
  path.join(ROOT, 'apps/api/dist/capabilities/dashboard/dashboard.service'),
);

const INVESTORS = Number(process.env.BENCH_DASHBOARD_INVESTORS ?? 100_000);
const COMMITMENTS = Number(process.env.BENCH_DASHBOARD_COMMITMENTS ?? 300_000);
const BACK = Number(process.env.BENCH_DASHBOARD_BACK ?? 1_000_000);
const FUNDS = 5;
const RUNS = 20;
const STATUSES = ['Soft', 'Hard', 'Signed', 'Funded', 'Withdrawn'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'USD'];
const COMMITMENT_BATCH = 5000;

/**
 * Five funds, then the commitments (each to one investor and one fund), grouped by fund and 5,000
 * to a command, as the links bench seeds them and as an import would: a commitment's link writes its
 * investor's and its fund's side of the link, and a command writes each side once, so grouped by
 * fund in large batches a fund's list of 60,000 ids is rewritten a few times instead of at every
 * batch (spread over all five funds in batches of 1,000, the seed did not finish in the bench run).
 * The records, values and links are the same as before.
 */
async function seedCommitments(core) {
  const table = (role) => core.repo.tableByRole(role);
  const field = (role, r) => table(role).fields.find((x) => x.role === r).id;
  const meta = { actor: SYSTEM, source: 'import' };
  const funds = Array.from({ length: FUNDS }, (_, i) => `recFUND${String(i).padStart(10, '0')}`);
  await core.commands.applyChanges(
    funds.map((id, i) => ({
      op: 'create',
      table_id: table('funds').id,
      record_id: id,
      values: {
        [field('funds', 'fund.name')]: `Fund ${i + 1}`,
        [field('funds', 'fund.target_size')]: 500_000_000,
        [field('funds', 'fund.currency')]: CURRENCIES[i],
      },
    })),
    meta,
  );
  const c = (r) => field('commitments', `commitment.${r}`);
  const commitment = (n) => ({
    op: 'create',
    table_id: table('commitments').id,
    record_id: `recCOMM${String(n).padStart(10, '0')}`,
    values: {
      [c('name')]: `Commitment ${n}`,
      [c('investor')]: [recordId(n % INVESTORS)],
      [c('fund')]: [funds[n % FUNDS]],
      [c('amount')]: 250_000 + (n % 40) * 50_000,
      [c('status')]: STATUSES[n % 7 < 5 ? n % 7 : 0],
      [c('date')]:
        `2026-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
    },
  });
  const byFund = [];
  for (let k = 0; k < FUNDS; k++) for (let n = k; n < COMMITMENTS; n += FUNDS) byFund.push(n);
  for (let i = 0; i < byFund.length; i += COMMITMENT_BATCH)
    await core.commands.applyChanges(byFund.slice(i, i + COMMITMENT_BATCH).map(commitment), meta);
}

async function time(runs, fn) {
  const ms = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    last = await fn(i);
    ms.push(now() - t0);
  }
  return { stats: summary(ms), first: ms[0], last };
}

async function runDashboardBench(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-dashboard-'));
  const file = path.join(dir, 'crm.sqlite');
  try {
    log(`dashboard bench: seeding ${INVESTORS} investors and ${COMMITMENTS} commitments…`);
    const ids = await seedInvestors(dir, INVESTORS);
    let core = await openCore({ databaseFile: file, seed: false });
    const seeding = now();
    await seedCommitments(core);
    const seedCommitmentsMs = now() - seeding;
    log(
      `dashboard bench: investors seeded in ${(ids.seed_ms / 1000).toFixed(1)} s, commitments in ${(seedCommitmentsMs / 1000).toFixed(1)} s`,
    );
    // A snapshot of the seeded base, as the server's minute job takes one every 10,000 events.
    const snap = { ...snapshotter(10_000), every: 10_000 };
    snap.onBatch(core);
    let history = createHistory(core);
    let service = new DashboardService(
      core.db,
      core.repo,
      core.uow,
      core.clock,
      history.asOf,
      history,
    );
    const viewer = { ...SYSTEM, role: 'admin' };
    const first = await time(1, () => service.dashboard({}, viewer));
    // Each measured answer follows an edit of a stage, so nothing is answered from before it;
    // only the answer is timed, not the edit.
    const times = [];
    const investors0 = core.repo.tableByRole('investors');
    const stage0 = investors0.fields.find((f) => f.role === 'investor.stage').id;
    const STAGES = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];
    const dash = await time(RUNS, async (run) => {
      const id = recordId((run * 7919) % INVESTORS);
      const from = core.repo.record(id).values[stage0] ?? null;
      const to = STAGES[(STAGES.indexOf(from) + 1) % STAGES.length];
      await core.commands.applyChanges([{ op: 'set', record_id: id, field_id: stage0, from, to }], {
        actor: SYSTEM,
        source: 'grid',
      });
      const t0 = now();
      const answer = await service.dashboard({}, viewer);
      times.push(now() - t0);
      return answer;
    });
    dash.stats = summary(times);
    const figures = dash.last.funds.map(
      (f) => `${f.name} ${f.currency} ${Math.round(f.percent_of_target)}%`,
    );
    log(`dashboard, first answer: ${first.stats.max.toFixed(0)} ms`);
    log(
      `dashboard after an edit: p50 ${dash.stats.p50.toFixed(1)} ms, p99 ${dash.stats.p99.toFixed(1)} ms (target p50 ≤ 150 ms): ${figures.join(', ')}`,
    );
    // The part of an answer that is the activity feed's last 20 entries (the feed's own cost).
    const feed = await time(5, () =>
      history.feed.page({ before: core.store.lastPosition() + 1, limit: 20 }, viewer),
    );
    log(`of which the activity feed: p50 ${feed.stats.p50.toFixed(1)} ms`);
    const moment = core.store.readAll(core.store.lastPosition() - 1, 1)[0].recorded_at;
    await core.close();

    log(`growing the log by ${BACK} events (snapshots every 10,000)…`);
    const start = await openCore({ databaseFile: file, seed: false }).then(async (c) => {
      const head = c.store.lastPosition();
      await c.close();
      return head;
    });
    await growLog(dir, ids, start + BACK, (c) => snap.onBatch(c));
    core = await openCore({ databaseFile: file, seed: false });
    history = createHistory(core);
    service = new DashboardService(core.db, core.repo, core.uow, core.clock, history.asOf, history);
    const investors = core.repo.tableByRole('investors');
    const stage = investors.fields.find((f) => f.role === 'investor.stage').id;
    const target = investors.fields.find((f) => f.role === 'investor.target_commitment').id;
    const view = {
      id: 'viw_bench_as_of',
      table_id: investors.id,
      name: 'Engaged by size',
      version: 1,
      config: {
        filters: {
          conjunction: 'and',
          conditions: [{ field_id: stage, operator: 'is', value: 'Engaged' }],
        },
        sorts: [{ field_id: target, direction: 'desc' }],
      },
    };
    const head = core.store.lastPosition();
    const at = history.asOf.moment(moment, 'as_of');
    log(`a view as of position ${at.position}, ${head - at.position} events back…`);
    const asOf = await time(5, () =>
      history.asOf.records(view, at, SYSTEM.id, { offset: 0, limit: 1000 }),
    );
    log(
      `view as of: p50 ${asOf.stats.p50.toFixed(0)} ms (target ≤ 1 s), the first ${asOf.first.toFixed(0)} ms (threads started, snapshot opened), ${asOf.last.total} records`,
    );
    const later = history.asOf.moment(
      core.store.readAll(head - Math.floor(BACK / 2), 1)[0].recorded_at,
      'to',
    );
    const diff = await time(3, () => history.asOf.diff(view, at, later, SYSTEM.id));
    log(
      `diff: p50 ${diff.stats.p50.toFixed(0)} ms (target ≤ 2 s), the first ${diff.first.toFixed(0)} ms: ${diff.last.entered.length} entered, ${diff.last.left.length} left, ${diff.last.changed.length} changed`,
    );
    const dashAsOf = await time(3, () => service.dashboard({ as_of: moment }, viewer));
    log(`dashboard as of that moment: p50 ${dashAsOf.stats.p50.toFixed(0)} ms`);
    await history.asOf.close();
    await core.close();
    return {
      investors: INVESTORS,
      commitments: COMMITMENTS,
      funds: FUNDS,
      seed_investors_ms: ids.seed_ms,
      seed_commitments_ms: seedCommitmentsMs,
      dashboard_first_ms: first.stats.max,
      dashboard: dash.stats,
      activity_feed_part: feed.stats,
      target_dashboard_p50_ms: 150,
      events_back: head - at.position,
      view_as_of: asOf.stats,
      view_as_of_first_ms: asOf.first,
      target_view_as_of_p50_ms: 1000,
      diff: diff.stats,
      diff_first_ms: diff.first,
      target_diff_ms: 2000,
      dashboard_as_of: dashAsOf.stats,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runDashboardBench, seedCommitments };

if (require.main === module) {
  runDashboardBench((m) => process.stderr.write(`[bench] ${m}\n`)).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
