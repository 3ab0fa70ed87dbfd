'use strict';
/**
 * Heavy jobs while ten clients edit cells over HTTP: a snapshot build, a backup verification,
 * adding a formula field to the investors table, and a large import (upload, then commit). For
 * each: how long the job takes, the longest pause of the server's event loop meanwhile, and the
 * edits' p99 (targets: pause ≤ 100 ms, p99 ≤ 20 ms). The server runs in this process so that its
 * event loop can be watched; the clients run in a worker thread (lib/edit-load.js).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { airtableCsv } = require('./lib/airtable-csv');
const { seedInvestors, growLog } = require('./lib/dataset');
const { catchUpSearch } = require('./lib/search-index');
const { atMost, info } = require('./lib/rows');
const { startEditLoad } = require('./lib/edit-load');
const { commitImport, uploadImport } = require('./lib/imports');
const { ADMIN, ROOT } = require('./lib/server');
const { summary, now } = require('./lib/stats');

const dist = (p) => require(path.join(ROOT, 'apps/api/dist', p));
const { createApp } = dist('app.factory');
const { loadConfig } = dist('config/app-config');
const { SqliteEventStore } = dist('infrastructure/event-store/sqlite-event-store');
const { HISTORY } = dist('capabilities/history/history.providers');
const { BackupService } = dist('capabilities/backups/backup.service');
const { FormulaBacklogRunner } = dist('capabilities/fundraising/formula-backlog.runner');
const { SearchIndexer } = dist('capabilities/search/search.indexer');
const { ProcessorRunner } = dist('infrastructure/processing/processor-runner');
const { SQLITE } = dist('infrastructure/database/database');

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const IMPORT_ROWS = Number(process.env.BENCH_BACKGROUND_IMPORT_ROWS ?? 100_000);
/**
 * How long the edit load runs alone for the floor: as long as the longest job (a verification, about
 * 20 s), since the longest pause of a longer window is longer by chance alone.
 */
const FLOOR_MS = Number(process.env.BENCH_BACKGROUND_FLOOR_MS ?? 20_000);
const SYSTEM = { actor: { id: 'bench', name: 'Bench', role: 'system' }, source: 'system' };

async function startInProcess(dir) {
  const config = loadConfig({
    CRM_ENV: 'test',
    CRM_DATA_DIR: dir,
    CRM_PORT: '0',
    CRM_ADMIN_EMAIL: ADMIN.email,
    CRM_ADMIN_PASSWORD: ADMIN.password,
    CRM_RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
  });
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  // As main.ts sets it: a keep-alive socket idle through a long job is not cut under a client.
  app.getHttpServer().keepAliveTimeout = 65_000;
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`sign-in answered ${login.status}`);
  const headers = { Authorization: `Bearer ${(await login.json()).access_token}` };
  return { app, url, headers };
}

/**
 * A timer-drift probe: a 5 ms interval whose late firings are the pauses. It sees a pause that lasts
 * the whole job (a histogram sampled by the same loop would record nothing until the loop turns).
 */
function pauseProbe(every = 5) {
  let last = now();
  let max = 0;
  const timer = setInterval(() => {
    const t = now();
    max = Math.max(max, t - last - every);
    last = t;
  }, every);
  return {
    get max() {
      return Math.max(0, max);
    },
    // One more firing after the job, so that a pause at its very end is counted.
    stop: () =>
      new Promise((resolve) =>
        setTimeout(() => {
          clearInterval(timer);
          max = Math.max(max, now() - last - every);
          resolve();
        }, every),
      ),
  };
}

/**
 * The longest garbage collection on the server's thread while watched: it tells a pause the job
 * caused from one the collector would have made anyway (no target; it explains the pause row).
 */
function gcProbe() {
  let max = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) max = Math.max(max, e.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      observer.disconnect();
      return max;
    },
  };
}

/** Runs one job under the edit load: its duration, the longest event-loop pause and the edit p99. */
async function underLoad(server, ids, job) {
  const load = startEditLoad({ ...server, nextStep: ids.nextStep, records: ids.records });
  await load.ready;
  const probe = pauseProbe();
  const gc = gcProbe();
  const t0 = now();
  let value;
  let longestGc;
  try {
    value = await job();
  } finally {
    await probe.stop();
    longestGc = gc.stop();
  }
  const ms = now() - t0;
  const edits = summary(await load.stop());
  return {
    ms,
    max_pause_ms: probe.max,
    longest_gc_ms: longestGc,
    edits: { n: edits.n, p50: edits.p50, p99: edits.p99 },
    value,
  };
}

async function post(server, route, body) {
  const res = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { ...server.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${route} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

const jobs = {
  // No job: the floor the machine and the edit load alone give to the figures below.
  async none() {
    return () => new Promise((resolve) => setTimeout(resolve, FLOOR_MS));
  },
  async snapshot(server) {
    const snapshots = server.app.get(HISTORY).snapshots;
    const store = server.app.get(SqliteEventStore);
    return async () => {
      const head = store.lastPosition();
      const at = new Date().toISOString();
      // A snapshot of the head, as the server's minute job takes one when the log has grown enough.
      await (snapshots.snapshotInBackground
        ? snapshots.snapshotInBackground(head, at)
        : snapshots.snapshot(head, at));
    };
  },
  async verify(server) {
    const backups = server.app.get(BackupService);
    const entry = await backups.create('manual', SYSTEM);
    return async () => {
      const result = await backups.verify(entry.manifest.id, SYSTEM);
      if (!result.ok) throw new Error(`verification failed: ${JSON.stringify(result.checks)}`);
    };
  },
  async formula(server, ids) {
    // The change, then the recompute of the table that follows it in slices: the job lasts until every record has its value.
    const backlog = server.app.get(FormulaBacklogRunner);
    return async () => {
      await post(server, `/api/fundraising/tables/${ids.table}/fields`, {
        name: `Priority ${Date.now()}`,
        type: 'formula',
        options: {
          formula:
            'IF(AND({Target commitment} > 5000000, {Pipeline stage} != "Passed"), "Priority", "Normal")',
        },
      });
      await backlog.idle();
    };
  },
};

/**
 * Pass the data set bench/run.js seeded ({ dir, ids }) or nothing to seed one. The jobs' output
 * (a snapshot, a backup, a field, an imported table) stays in that data set.
 */
async function runBackgroundBench(log, shared) {
  const own = shared ? null : mkdtempSync(path.join(tmpdir(), 'crm-bench-background-'));
  const dir = shared ? shared.dir : own;
  try {
    let ids;
    if (own) {
      log(`background bench: seeding ${RECORDS} investors, growing the log to ${EVENTS} events…`);
      ids = await seedInvestors(dir, RECORDS);
      await growLog(dir, ids, EVENTS);
    } else ids = shared.ids;
    // The search index and the processors follow the log after commit: on the freshly grown base
    // they first read the whole log. The jobs are timed on a server that has caught up, as one that
    // has been running: the index is read in here in one go (see lib/search-index.js), and the
    // server's indexer and processors waited for. (The processors' catch-up on the grown log gives
    // requests their turns now; it was not waited for while it held the thread from start to end.)
    log('background bench: reading the log into the search index…');
    await catchUpSearch(dir);
    const server = await startInProcess(dir);
    const indexer = server.app.get(SearchIndexer);
    while (indexer.lag() > 0) await indexer.reached(Number.MAX_SAFE_INTEGER, 1_000);
    await server.app.get(ProcessorRunner).settled();
    // ...and the WAL that catch-up wrote is copied into the database file before the first job.
    server.app.get(SQLITE).pragma('wal_checkpoint(TRUNCATE)');
    const results = {};
    try {
      for (const [name, make] of Object.entries(jobs)) {
        log(`background bench: ${name} under 10 editing clients…`);
        const job = await make(server, ids);
        const r = await underLoad(server, ids, job);
        delete r.value;
        results[name] = r;
        log(
          `  ${name}: ${r.ms.toFixed(0)} ms, pause ${r.max_pause_ms.toFixed(0)} ms (longest gc ${r.longest_gc_ms.toFixed(0)}), edit p99 ${r.edits.p99.toFixed(1)} ms`,
        );
      }
      log(`background bench: import of ${IMPORT_ROWS} rows under 10 editing clients…`);
      // The file is in hand before the upload starts, as a browser has it: turning the text into
      // bytes is the client's work, and it runs on the thread the server's pauses are measured on.
      const file = new Blob([airtableCsv(IMPORT_ROWS)], { type: 'text/csv' });
      let session;
      results.import_upload = await underLoad(server, ids, async () => {
        session = await uploadImport(server, file, {
          new_table_name: `Imported ${Date.now()}`,
          merge_fields: '["Email"]',
        });
      });
      results.import_commit = await underLoad(server, ids, async () => {
        const { status, body } = await commitImport(server, session.id);
        if (status !== 200 || body.created !== IMPORT_ROWS)
          throw new Error(`commit answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
      });
      for (const k of ['import_upload', 'import_commit']) {
        delete results[k].value;
        const r = results[k];
        log(
          `  ${k}: ${r.ms.toFixed(0)} ms, pause ${r.max_pause_ms.toFixed(0)} ms (longest gc ${r.longest_gc_ms.toFixed(0)}), edit p99 ${r.edits.p99.toFixed(1)} ms`,
        );
      }
    } finally {
      await server.app.close();
    }
    return { records: ids.records, import_rows: IMPORT_ROWS, ...results };
  } finally {
    if (own) rmSync(own, { recursive: true, force: true });
  }
}

/** The rows bench/run.js prints: per job, its duration, the longest pause and the edit p99. */
function backgroundRows(b) {
  const names = {
    none: `no job (the edit load alone, ${(FLOOR_MS / 1000).toFixed(0)} s)`,
    snapshot: 'snapshot build',
    verify: 'backup verification',
    formula: 'add a formula field',
    import_upload: `import upload and plan, ${b.import_rows.toLocaleString('en-US')} rows`,
    import_commit: `import commit, ${b.import_rows.toLocaleString('en-US')} rows`,
  };
  return Object.entries(names).flatMap(([k, title]) => [
    info(`${title} under 10 editing clients (ms)`, b[k].ms),
    atMost(`  longest event-loop pause meanwhile (ms)`, b[k].max_pause_ms, 100),
    info(`  longest garbage collection meanwhile (ms)`, b[k].longest_gc_ms ?? null),
    atMost(`  edit p99 meanwhile (ms)`, b[k].edits.p99, 20),
  ]);
}

module.exports = { runBackgroundBench, backgroundRows, startInProcess, underLoad, jobs };

if (require.main === module) {
  runBackgroundBench((m) => process.stderr.write(`[bench] ${m}\n`))
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    });
}
