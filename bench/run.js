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
const { now } = require('./lib/stats');
const { fmt, row, info, atMost, atLeast, formatTable } = require('./lib/rows');

const REBUILD_EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const SNAPSHOT_EVERY = Number(process.env.BENCH_SNAPSHOT_EVERY ?? 10_000);

const log = (m) => process.stderr.write(`[bench] ${m}\n`);

/** The core figures: edits, reads, the rebuild, time travel, backups, imports. */
const coreRows = (r) => [
  atMost('HTTP cell edit, sequential p50 (ms)', r.sequential.p50, 1),
  atMost('HTTP cell edit, sequential p99 (ms)', r.sequential.p99, 5),
  atLeast('HTTP edits/s, 10 concurrent clients', r.concurrent.per_second, 1500),
  atMost('GET records, 10,000 (p50 ms)', r.records_10k.p50, 80),
  atMost(
    `server start to ready, ${fmt(RECORDS, 0)} records (ms)`,
    r.start?.ready_ms ?? Infinity,
    5000,
  ),
  atMost(`GET state, ${fmt(RECORDS, 0)} records (p50 ms)`, r.state_full.p50, 800),
  atLeast(
    `projection rebuild (events/s over ${fmt(r.rebuild.events, 0)})`,
    r.rebuild.events_per_second,
    100000,
  ),
  atMost(`restore-preview, 20 random moments (max ms)`, r.history.preview.max, 1000),
  info('restore-preview p50 (ms)', r.history.preview.p50),
  info(
    `snapshots: count × every ${fmt(r.history.snapshots.every, 0)} events`,
    r.history.snapshots.count,
  ),
  info('snapshots: total size (MB)', r.history.snapshots.total_bytes / 1e6),
  info(
    'snapshot build p50 (ms)',
    r.history.snapshots.build_ms ? r.history.snapshots.build_ms.p50 : 0,
  ),
  atMost(
    `backup of ${fmt(r.backup.records, 0)} records / ${fmt(r.backup.events, 0)} events (s)`,
    r.backup.backup.ms / 1000,
    60,
  ),
  info('backup size (MB)', r.backup.backup.bytes / 1e6),
  atMost('longest event-loop pause during the backup (ms)', r.backup.backup.max_stall_ms, 1000),
  atMost('backup verify: checksum, integrity, chain, replay (s)', r.backup.verify.ms / 1000, 180),
  info('longest event-loop pause during the verify (ms)', r.backup.verify.max_stall_ms),
  atMost(
    'CSV import, 10,000 Airtable rows, upload to committed, median of 3 (s)',
    r.import.small.total_ms / 1000,
    0.5,
  ),
  info(
    'CSV import, 10,000 rows, first import after the server starts (s)',
    r.import.cold.total_ms / 1000,
  ),
  atMost(
    'CSV import, 100,000 Airtable rows, upload to committed (s)',
    r.import.big.total_ms / 1000,
    5,
  ),
  info('CSV re-import, 100,000 rows, nothing changes (s)', r.import.big.reimport.total_ms / 1000),
  info('CSV export, 100,000 rows (s)', r.import.export_100k.ms / 1000),
  info('raw better-sqlite3 append+update tx p50 (ms)', r.raw_append.p50),
  info('ratio: HTTP edit p50 / raw tx p50', r.ratio_http_edit_to_raw_append),
  info('seed through append path (records/s)', r.seed.records_per_second),
];

const linkRows = (r) => [
  atMost('HTTP edit of a commitment amount p50 (ms)', r.links.http_edit_amount.p50, 1.5),
  atMost('HTTP edit of a commitment amount p99 (ms)', r.links.http_edit_amount.p99, 6),
  atMost('add a rollup to the investors (ms)', r.links.add_rollup_ms.committed, 3000),
  atMost(
    `kanban view of ${fmt(r.kanban.records, 0)} investors, server answer p50 (ms)`,
    r.kanban.answer.p50,
    80,
  ),
];

const dashboardRows = ({ dashboard: d }) => [
  atMost('dashboard after an edit (p50 ms)', d.dashboard.p50, 150),
  atMost(`view as of ${fmt(d.events_back, 0)} events back (p50 ms)`, d.view_as_of.p50, 1000),
  atMost('diff between two such moments (p50 ms)', d.diff.p50, 2000),
];

const tokenReminderRows = ({ tokens: t, reminders: m }) => [
  info('HTTP edit p50 with a session (ms)', t.session.edit_p50_ms),
  row(
    'HTTP edit p50 with an API token (ms)',
    t.token.edit_p50_ms,
    '≤ session × 1.1',
    t.token_to_session_p50 <= 1.1,
  ),
  atMost(`My day, ${fmt(m.open_reminders, 0)} open reminders (p50 ms)`, m.my_day.p50, 50),
  atMost('log a communication with a next step (p50 ms)', m.log_communication.p50, 1.5),
  atMost(
    `view sorted by Last contacted, ${fmt(m.records, 0)} investors (p50 ms)`,
    m.view_sorted_by_last_contacted.p50,
    100,
  ),
  atMost('view filtered to stale investors (p50 ms)', m.view_filtered_stale.p50, 100),
];

const formulaViewRows = ({ formulas_views: fv }) => [
  atMost(
    `recompute ${fmt(fv.records, 0)} records × ${fv.formulas} formulas (p50 ms)`,
    fv.evaluator.p50,
    1000,
  ),
  atMost(`view, 3-level filter + 2 sorts, server (p50 ms)`, fv.view_server.p50, 300),
  info('view, first request (columns read from SQLite, ms)', fv.view_server.first_ms),
  info("view, same code on the grid's rows (p50 ms)", fv.view_browser_code.p50),
  info('cell edit with 10 formula fields, in-process p50 (ms)', fv.edit_with_formulas.p50),
  info('add a formula field: the change itself (p50 ms)', fv.projector_add_fields.per_field.p50),
  info(
    'add a formula field: recompute of the table after it (p50 ms)',
    fv.projector_add_fields.recompute?.p50 ?? null,
  ),
];

const browserGridRows = ({ browser_grid: g }) => [
  info('navigation to a rendered grid, 10,000 investors (p50 ms)', g.grid_10000.load_ms.p50),
  info('navigation to a rendered grid, 100,000 investors (p50 ms)', g.grid_100000.load_ms.p50),
  info('scroll step, 100,000 investors (p50 ms)', g.grid_100000.scroll.p50_ms),
];

/** The printed table: the sections' titles and rows. */
const tableOf = (r) => [
  ['', coreRows(r)],
  ['Processors', processorRows(r.processors)],
  [
    `Search, ${fmt(r.search.investors, 0)} investors + ${fmt(r.search.contacts, 0)} contacts`,
    [
      atMost('search query p50 (ms)', r.search.query.p50, 30),
      atMost('search query p99 (ms)', r.search.query.p99, 100),
      info('indexing those 400,000 records after their commit (s)', r.search.index_ms / 1000),
    ],
  ],
  [
    `Linked fields, ${fmt(r.links.investors, 0)} investors, ${fmt(r.links.commitments, 0)} commitments`,
    linkRows(r),
  ],
  ['Automations', automationRows(r.automations)],
  [
    `Dashboard, ${fmt(r.dashboard.investors, 0)} investors / ${fmt(r.dashboard.commitments, 0)} commitments`,
    dashboardRows(r),
  ],
  ['API tokens and reminders', tokenReminderRows(r)],
  ['Formulas and views', formulaViewRows(r)],
  ['Heavy work under 10 editing clients', backgroundRows(r.background)],
  ['Grid in headless Chromium', browserGridRows(r)],
  [
    'How long each part of this run took (s, seeding included)',
    Object.entries(r.seconds).map(([part, s]) => info(part, s)),
  ],
];

/**
 * What the parts measured so far, written after each (bench/results/partial.json): a run stopped
 * or failed half-way keeps the figures it took.
 */
function keepSoFar(results) {
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'partial.json'), `${JSON.stringify(results, null, 2)}\n`);
}

/** Runs the parts in turn into `results`; `results.seconds` keeps how long each took. */
async function runParts(dir, results) {
  const seconds = (results.seconds = {});
  const part = async (name, work) => {
    const t0 = now();
    try {
      return await work();
    } finally {
      seconds[name] = (now() - t0) / 1000;
      log(`${name}: ${fmt(seconds[name], 0)} s`);
      keepSoFar(results);
    }
  };
  log(`seeding ${RECORDS} investors through the append path…`);
  const ids = await part('seed', () => seedInvestors(dir, RECORDS));
  results.seed = {
    records: RECORDS,
    ms: ids.seed_ms,
    records_per_second: RECORDS / (ids.seed_ms / 1000),
  };
  // The cells as the HTTP edits leave them: the processors bench edits the same ones after it.
  const cells = new Map();
  Object.assign(results, await part('http', () => runHttpBench(dir, ids, log, cells)));
  results.processors = await part('processors', () => runProcessorBench(dir, ids, log, cells));
  log(`growing the log to ${REBUILD_EVENTS} events (snapshots every ${SNAPSHOT_EVERY})…`);
  const snap = { ...snapshotter(SNAPSHOT_EVERY), every: SNAPSHOT_EVERY };
  results.grow = await part('grow', () =>
    growLog(dir, ids, REBUILD_EVENTS, (core) => snap.onBatch(core)),
  );
  log('rebuilding every projection…');
  results.rebuild = await part('rebuild', () => runRebuildBench(dir));
  results.history = await part('history', () => runHistoryBench(dir, snap, log));
  results.backup = await part('backup', () => runBackupBench(log, dir));
  results.import = await part('import', () => runImportBench(log));
  results.raw_append = await part('raw_append', () => rawAppendCost(dir));
  results.formulas_views = await part('formulas_views', () => runFormulaViewBench(log));
  results.background = await part('background', () => runBackgroundBench(log, { dir, ids }));
  results.search = await part('search', () => runSearchBench(log));
  results.links = await part('links', () => runLinksBench(log));
  results.kanban = await part('kanban', () => runKanbanBench(log));
  results.automations = await part('automations', () => runAutomationsBench(log));
  results.tokens = await part('tokens', () => runTokensBench(log));
  results.reminders = await part('reminders', () => runRemindersBench(log));
  results.dashboard = await part('dashboard', () => runDashboardBench(log));
  results.browser_grid = await part('browser_grid', () => runBrowserGridBench({ log }));
  results.ratio_http_edit_to_raw_append = results.sequential.p50 / results.raw_append.p50;
}

async function main() {
  const started = new Date().toISOString();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
  const results = {};
  try {
    await runParts(dir, results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  process.stdout.write(
    `\nVenture CRM benchmark — ${os.cpus().length} cores, node ${process.version}\n\n`,
  );
  process.stdout.write(formatTable(tableOf(results)));
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

module.exports = { tableOf };

if (require.main === module)
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
