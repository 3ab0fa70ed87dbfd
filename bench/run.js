'use strict';
/** `npm run bench`: prints a table of figures against their targets and writes bench/results/latest.json. */
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { seedInvestors, growLog } = require('./lib/dataset');
const { runHttpBench, runRebuildBench, rawAppendCost, RECORDS } = require('./core.bench');
const { runHistoryBench, snapshotter } = require('./history.bench');
const { runBackupBench } = require('./backup.bench');
const { runFormulaViewBench } = require('./formulas-views.bench');
const { runImportBench } = require('./import.bench');
const { runBrowserGridBench } = require('./browser-grid.bench');
const { runBackgroundBench, backgroundRows } = require('./background.bench');
const { runProcessorBench, processorRows } = require('./processors.bench');
const { runSearchBench } = require('./search.bench');
const { runLinksBench } = require('./links.bench');
const { runKanbanBench } = require('./kanban.bench');
const { runAutomationsBench, automationRows } = require('./automations.bench');
const { runTokensBench } = require('./tokens.bench');
const { runRemindersBench } = require('./reminders.bench');
const { runDashboardBench } = require('./dashboard.bench');

const REBUILD_EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const SNAPSHOT_EVERY = Number(process.env.BENCH_SNAPSHOT_EVERY ?? 10_000);

const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const fmt = (n, d = 2) =>
  typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: d }) : String(n);

async function main() {
  const started = new Date().toISOString();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
  const results = {};
  try {
    log(`seeding ${RECORDS} investors through the append path…`);
    const ids = await seedInvestors(dir, RECORDS);
    results.seed = {
      records: RECORDS,
      ms: ids.seed_ms,
      records_per_second: RECORDS / (ids.seed_ms / 1000),
    };
    Object.assign(results, await runHttpBench(dir, ids, log));
    results.processors = await runProcessorBench(dir, ids, log);
    log(`growing the log to ${REBUILD_EVENTS} events (snapshots every ${SNAPSHOT_EVERY})…`);
    const snap = { ...snapshotter(SNAPSHOT_EVERY), every: SNAPSHOT_EVERY };
    results.grow = await growLog(dir, ids, REBUILD_EVENTS, (core) => snap.onBatch(core));
    log('rebuilding every projection…');
    results.rebuild = await runRebuildBench(dir);
    results.history = await runHistoryBench(dir, snap, log);
    results.backup = await runBackupBench(log, dir);
    results.import = await runImportBench(log);
    results.raw_append = rawAppendCost(dir);
    results.formulas_views = await runFormulaViewBench(log);
    results.background = await runBackgroundBench(log, { dir, ids });
    results.search = await runSearchBench(log);
    results.links = await runLinksBench(log);
    results.kanban = await runKanbanBench(log);
    results.automations = await runAutomationsBench(log);
    results.tokens = await runTokensBench(log);
    results.reminders = await runRemindersBench(log);
    results.dashboard = await runDashboardBench(log);
    results.browser_grid = await runBrowserGridBench({ log });
    results.ratio_http_edit_to_raw_append = results.sequential.p50 / results.raw_append.p50;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const r = results;
  const rows = [
    ['HTTP cell edit, sequential p50 (ms)', r.sequential.p50, '≤ 1', r.sequential.p50 <= 1],
    ['HTTP cell edit, sequential p99 (ms)', r.sequential.p99, '≤ 5', r.sequential.p99 <= 5],
    [
      'HTTP edits/s, 10 concurrent clients',
      r.concurrent.per_second,
      '≥ 1,500',
      r.concurrent.per_second >= 1500,
    ],
    ['GET records, 10,000 (p50 ms)', r.records_10k.p50, '≤ 80', r.records_10k.p50 <= 80],
    [
      `GET state, ${fmt(RECORDS, 0)} records (p50 ms)`,
      r.state_full.p50,
      '≤ 800',
      r.state_full.p50 <= 800,
    ],
    [
      `projection rebuild (events/s over ${fmt(r.rebuild.events, 0)})`,
      r.rebuild.events_per_second,
      '≥ 100,000',
      r.rebuild.events_per_second >= 100000,
    ],
    [
      `restore-preview, 20 random moments (max ms)`,
      r.history.preview.max,
      '≤ 1,000',
      r.history.preview.max <= 1000,
    ],
    ['restore-preview p50 (ms)', r.history.preview.p50, '—', null],
    [
      `snapshots: count × every ${fmt(r.history.snapshots.every, 0)} events`,
      r.history.snapshots.count,
      '—',
      null,
    ],
    ['snapshots: total size (MB)', r.history.snapshots.total_bytes / 1e6, '—', null],
    [
      'snapshot build p50 (ms)',
      r.history.snapshots.build_ms ? r.history.snapshots.build_ms.p50 : 0,
      '—',
      null,
    ],
    [
      `backup of ${fmt(r.backup.records, 0)} records / ${fmt(r.backup.events, 0)} events (s)`,
      r.backup.backup.ms / 1000,
      '≤ 60',
      r.backup.backup.ms <= 60_000,
    ],
    ['backup size (MB)', r.backup.backup.bytes / 1e6, '—', null],
    [
      'longest event-loop pause during the backup (ms)',
      r.backup.backup.max_stall_ms,
      '≤ 1,000',
      r.backup.backup.max_stall_ms <= 1000,
    ],
    [
      'backup verify: checksum, integrity, chain, replay (s)',
      r.backup.verify.ms / 1000,
      '≤ 180',
      r.backup.verify.ms <= 180_000,
    ],
    ['longest event-loop pause during the verify (ms)', r.backup.verify.max_stall_ms, '—', null],
    [
      'CSV import, 10,000 Airtable rows, upload to committed, median of 3 (s)',
      r.import.small.total_ms / 1000,
      '≤ 0.5',
      r.import.small.total_ms <= 500,
    ],
    [
      'CSV import, 10,000 rows, first import after the server starts (s)',
      r.import.cold.total_ms / 1000,
      '—',
      null,
    ],
    [
      'CSV import, 100,000 Airtable rows, upload to committed (s)',
      r.import.big.total_ms / 1000,
      '≤ 5',
      r.import.big.total_ms <= 5000,
    ],
    [
      'CSV re-import, 100,000 rows, nothing changes (s)',
      r.import.big.reimport.total_ms / 1000,
      '—',
      null,
    ],
    ['CSV export, 100,000 rows (s)', r.import.export_100k.ms / 1000, '—', null],
    ['raw better-sqlite3 append+update tx p50 (ms)', r.raw_append.p50, '—', null],
    ['ratio: HTTP edit p50 / raw tx p50', r.ratio_http_edit_to_raw_append, '—', null],
    ['seed through append path (records/s)', r.seed.records_per_second, '—', null],
  ];
  const fv = r.formulas_views;
  const sections = [
    ['', rows],
    ['Processors', processorRows(r.processors)],
    [
      `Search, ${fmt(r.search.investors, 0)} investors + ${fmt(r.search.contacts, 0)} contacts`,
      [
        ['search query p50 (ms)', r.search.query.p50, '≤ 30', r.search.query.p50 <= 30],
        ['search query p99 (ms)', r.search.query.p99, '≤ 100', r.search.query.p99 <= 100],
        [
          'indexing those 400,000 records after their commit (s)',
          r.search.index_ms / 1000,
          '—',
          null,
        ],
      ],
    ],
    [
      `Linked fields, ${fmt(r.links.investors, 0)} investors, ${fmt(r.links.commitments, 0)} commitments`,
      [
        [
          'HTTP edit of a commitment amount p50 (ms)',
          r.links.http_edit_amount.p50,
          '≤ 1.5',
          r.links.http_edit_amount.p50 <= 1.5,
        ],
        [
          'HTTP edit of a commitment amount p99 (ms)',
          r.links.http_edit_amount.p99,
          '≤ 6',
          r.links.http_edit_amount.p99 <= 6,
        ],
        [
          'add a rollup to the investors (ms)',
          r.links.add_rollup_ms.committed,
          '≤ 3,000',
          r.links.add_rollup_ms.committed <= 3000,
        ],
        [
          `kanban view of ${fmt(r.kanban.records, 0)} investors, server answer p50 (ms)`,
          r.kanban.answer.p50,
          '≤ 80',
          r.kanban.answer.p50 <= 80,
        ],
      ],
    ],
    ['Automations', automationRows(r.automations)],
    [
      `Dashboard, ${fmt(r.dashboard.investors, 0)} investors / ${fmt(r.dashboard.commitments, 0)} commitments`,
      [
        [
          'dashboard after an edit (p50 ms)',
          r.dashboard.dashboard.p50,
          '≤ 150',
          r.dashboard.dashboard.p50 <= 150,
        ],
        [
          `view as of ${fmt(r.dashboard.events_back, 0)} events back (p50 ms)`,
          r.dashboard.view_as_of.p50,
          '≤ 1,000',
          r.dashboard.view_as_of.p50 <= 1000,
        ],
        [
          'diff between two such moments (p50 ms)',
          r.dashboard.diff.p50,
          '≤ 2,000',
          r.dashboard.diff.p50 <= 2000,
        ],
      ],
    ],
    [
      'API tokens and reminders',
      [
        ['HTTP edit p50 with a session (ms)', r.tokens.session.edit_p50_ms, '—', null],
        [
          'HTTP edit p50 with an API token (ms)',
          r.tokens.token.edit_p50_ms,
          '≤ session × 1.1',
          r.tokens.token_to_session_p50 <= 1.1,
        ],
        [
          `My day, ${fmt(r.reminders.open_reminders, 0)} open reminders (p50 ms)`,
          r.reminders.my_day.p50,
          '≤ 50',
          r.reminders.my_day.p50 <= 50,
        ],
        [
          'log a communication with a next step (p50 ms)',
          r.reminders.log_communication.p50,
          '≤ 1.5',
          r.reminders.log_communication.p50 <= 1.5,
        ],
        [
          `view sorted by Last contacted, ${fmt(r.reminders.records, 0)} investors (p50 ms)`,
          r.reminders.view_sorted_by_last_contacted.p50,
          '≤ 100',
          r.reminders.view_sorted_by_last_contacted.p50 <= 100,
        ],
        [
          'view filtered to stale investors (p50 ms)',
          r.reminders.view_filtered_stale.p50,
          '≤ 100',
          r.reminders.view_filtered_stale.p50 <= 100,
        ],
      ],
    ],
    [
      'Formulas and views',
      [
        [
          `recompute ${fmt(fv.records, 0)} records × ${fv.formulas} formulas (p50 ms)`,
          fv.evaluator.p50,
          '≤ 1,000',
          fv.evaluator.p50 <= 1000,
        ],
        [
          `view, 3-level filter + 2 sorts, server (p50 ms)`,
          fv.view_server.p50,
          '≤ 300',
          fv.view_server.p50 <= 300,
        ],
        ['view, first request (columns read from SQLite, ms)', fv.view_server.first_ms, '—', null],
        ["view, same code on the grid's rows (p50 ms)", fv.view_browser_code.p50, '—', null],
        [
          'cell edit with 10 formula fields, in-process p50 (ms)',
          fv.edit_with_formulas.p50,
          '—',
          null,
        ],
        [
          'add a formula field: the change itself (p50 ms)',
          fv.projector_add_fields.per_field.p50,
          '—',
          null,
        ],
        [
          'add a formula field: recompute of the table after it (p50 ms)',
          fv.projector_add_fields.recompute?.p50 ?? null,
          '—',
          null,
        ],
      ],
    ],
    ['Heavy work under 10 editing clients', backgroundRows(r.background)],
    [
      'Grid in headless Chromium',
      [
        [
          'navigation to a rendered grid, 10,000 investors (p50 ms)',
          r.browser_grid.grid_10000.load_ms.p50,
          '—',
          null,
        ],
        [
          'navigation to a rendered grid, 100,000 investors (p50 ms)',
          r.browser_grid.grid_100000.load_ms.p50,
          '—',
          null,
        ],
        [
          'scroll step, 100,000 investors (p50 ms)',
          r.browser_grid.grid_100000.scroll.p50_ms,
          '—',
          null,
        ],
      ],
    ],
  ];
  const width = Math.max(...sections.flatMap(([, rs]) => rs.map((x) => x[0].length)));
  process.stdout.write(
    `\nVenture CRM benchmark — ${os.cpus().length} cores, node ${process.version}\n\n`,
  );
  process.stdout.write(
    `${'measure'.padEnd(width)}  ${'value'.padStart(12)}  ${'target'.padStart(10)}  result\n`,
  );
  for (const [title, rs] of sections) {
    if (title) process.stdout.write(`\n${title}\n`);
    for (const [name, value, target, ok] of rs) {
      process.stdout.write(
        `${name.padEnd(width)}  ${fmt(value).padStart(12)}  ${target.padStart(10)}  ${ok === null ? '' : ok ? 'pass' : 'MISS'}\n`,
      );
    }
  }
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'latest.json'),
    JSON.stringify(
      {
        started,
        finished: new Date().toISOString(),
        machine: { cores: os.cpus().length, node: process.version },
        results,
      },
      null,
      2,
    ),
  );
  process.stdout.write('\nwritten to bench/results/latest.json\n');
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
