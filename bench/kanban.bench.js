'use strict';
/**
 * A board (kanban view) over the pipeline stage of 10,000 investors (target: the server's answer,
 * every card of every column with its values, p50 ≤ 80 ms). Each measured answer follows a stage
 * edit and a card move, so the column order and the card ranks are computed afresh each time.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { summary, now } = require('./lib/stats');
const { ROOT } = require('./lib/server');
const { seedInvestors, recordId, openCore, SYSTEM } = require('./lib/dataset');

const domain = require(path.join(ROOT, 'libs/domain/dist'));
const { ViewRecordsQuery } = require(
  path.join(ROOT, 'apps/api/dist/capabilities/fundraising/queries/view-records.query'),
);

const RECORDS = Number(process.env.BENCH_KANBAN_RECORDS ?? 10_000);
const RUNS = 20;
const STAGES = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];

async function runKanbanBench(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-kanban-'));
  try {
    log(`kanban bench: seeding ${RECORDS} investors…`);
    await seedInvestors(dir, RECORDS);
    const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
    const table = core.repo.tableByRole('investors');
    const f = (role) => table.fields.find((x) => x.role === role).id;
    const stage = f('investor.stage');
    const config = {
      type: 'kanban',
      kanban: {
        field_id: stage,
        card_fields: [f('investor.target_commitment'), f('investor.owner'), f('investor.type')],
        ranks: {},
      },
    };
    const view = { id: 'viw_board', table_id: table.id, name: 'Pipeline', config, version: 1 };
    const query = new ViewRecordsQuery(core.repo, core.uow, (after, limit) =>
      core.store.readAll(after, limit),
    );
    const at = Date.parse('2026-12-06T12:00:00Z');
    let t0 = now();
    let answer = JSON.parse(query.pageJson(view, core.repo.table(table.id), undefined, 10_000, at));
    const cold = now() - t0;
    const times = [];
    for (let run = 0; run < RUNS; run++) {
      // A card changes column (a stage edit) and is placed at the top of it (a new rank key).
      const id = recordId((run * 7919) % RECORDS);
      const current = core.repo.record(id).values[stage] ?? null;
      const to = STAGES[(STAGES.indexOf(current) + 1) % STAGES.length];
      await core.commands.applyChanges(
        [{ op: 'set', record_id: id, field_id: stage, from: current, to }],
        { actor: SYSTEM, source: 'grid' },
      );
      config.kanban.ranks = { ...config.kanban.ranks, [id]: domain.rankBetween(null, null) };
      t0 = now();
      const json = query.pageJson(
        { ...view, version: run + 2 },
        core.repo.table(table.id),
        undefined,
        10_000,
        at,
      );
      times.push(now() - t0);
      answer = JSON.parse(json);
    }
    const columns = answer.groups.map((g) => `${g.value ?? 'No stage'} ${g.count}`).join(', ');
    const stats = summary(times);
    log(
      `kanban: ${answer.total} cards (${columns}); first ${cold.toFixed(0)} ms, then p50 ${stats.p50.toFixed(1)} ms, p99 ${stats.p99.toFixed(1)} ms (target p50 ≤ 80 ms)`,
    );
    await core.close();
    return { records: RECORDS, first_ms: cold, answer: stats, target_p50_ms: 80 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runKanbanBench };

if (require.main === module) {
  runKanbanBench((m) => process.stderr.write(`[bench] ${m}\n`)).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
