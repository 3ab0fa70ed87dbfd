'use strict';
/**
 * The event-sourced core under load: seeding through the real append path, cell edits over HTTP
 * (sequential and 10 concurrent clients), big reads, a rebuild over a million events, and the raw
 * better-sqlite3 cost of one append-plus-update transaction for comparison.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const Database = require('better-sqlite3');
const { client } = require('./lib/http');
const { summary, now } = require('./lib/stats');
const { startServer } = require('./lib/server');

const { openCore, recordId } = require('./lib/dataset');

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
let httpEditRuns = 0;

/**
 * `values`: the cells as earlier runs on the same server left them. Without it a second run would
 * send `from: null` for cells the first one set: every "edit" a conflict, answered without a write;
 * and each run writes values of its own, since the same values again would change nothing.
 */
async function httpEdits(server, ids, values = new Map()) {
  const c = client(server.url, server.headers);
  // A later run on the same cells writes other values: the same ones again would change nothing.
  const round = ++httpEditRuns;
  const edit = async (n) => {
    const record_id = recordId(n % RECORDS);
    const from = values.get(record_id) ?? null;
    const to = round === 1 ? `step ${n}` : `step ${n} (${round})`;
    const t0 = now();
    const res = await c.request('POST', '/api/fundraising/changes', {
      changes: [{ op: 'set', record_id, field_id: ids.nextStep, from, to }],
    });
    const ms = now() - t0;
    if (res.status !== 200) throw new Error(`edit answered ${res.status}: ${res.text}`);
    const body = res.json();
    values.set(record_id, body.conflicts.length ? body.conflicts[0].current : to);
    return ms;
  };
  for (let i = 0; i < 300; i++) await edit(i); // warm-up
  const sequential = [];
  for (let i = 0; i < 3000; i++) sequential.push(await edit(1000 + i * 7));
  const duration = 8000;
  const end = now() + duration;
  let done = 0;
  const concurrentMs = [];
  let seq = 50_000;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (now() < end) {
        concurrentMs.push(await edit(seq++ * 13));
        done++;
      }
    }),
  );
  c.close();
  return {
    sequential: summary(sequential),
    concurrent: {
      clients: 10,
      edits: done,
      per_second: done / (duration / 1000),
      latency: summary(concurrentMs),
    },
  };
}

async function httpReads(server, ids) {
  const c = client(server.url, server.headers);
  const page = [];
  for (let i = 0; i < 15; i++) {
    const t0 = now();
    const res = await c.request('GET', `/api/fundraising/tables/${ids.table}/records?limit=10000`);
    page.push(now() - t0);
    if (res.status !== 200 || res.json().records.length !== Math.min(10000, RECORDS))
      throw new Error(`records page failed: ${res.status}`);
  }
  const state = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    const res = await c.request('GET', '/api/fundraising/state');
    state.push(now() - t0);
    bytes = res.text.length;
    if (res.status !== 200) throw new Error(`state failed: ${res.status}`);
  }
  c.close();
  return { records_10k: summary(page), state_full: { ...summary(state), bytes } };
}

function rawAppendCost(dir) {
  const db = new Database(path.join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT, stream_version INTEGER, type TEXT, data TEXT, UNIQUE (stream_id, stream_version));
           CREATE TABLE records (id TEXT PRIMARY KEY, values_json TEXT, version INTEGER);`);
  const ins = db.prepare(
    'INSERT INTO events (position, stream_id, stream_version, type, data) VALUES (?, ?, ?, ?, ?)',
  );
  const upd = db.prepare(
    'INSERT INTO records (id, values_json, version) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET values_json = excluded.values_json, version = excluded.version',
  );
  const tx = db.transaction((i) => {
    ins.run(
      i,
      `record-${i % 1000}`,
      Math.floor(i / 1000) + 1,
      'RecordUpdated',
      JSON.stringify({ changes: [{ field_id: 'fld', from: i - 1, to: i }] }),
    );
    upd.run(`rec${i % 1000}`, JSON.stringify({ fld: i }), Math.floor(i / 1000) + 1);
  });
  for (let i = 1; i <= 500; i++) tx(i);
  const ms = [];
  for (let i = 501; i <= 5500; i++) {
    const t0 = now();
    tx(i);
    ms.push(now() - t0);
  }
  db.close();
  return summary(ms);
}

/** HTTP figures against a seeded data set (the server runs as its own process). */
/** `values`: kept for the next bench editing the same cells (see httpEdits). */
async function runHttpBench(dir, ids, log, values = new Map()) {
  log('HTTP edits and reads against the server process…');
  const server = await startServer(dir);
  try {
    return {
      start: { ready_ms: server.ready_ms },
      ...(await httpEdits(server, ids, values)),
      ...(await httpReads(server, ids)),
    };
  } catch (e) {
    log(`server output:\n${server.output()}`);
    throw e;
  } finally {
    await server.stop();
  }
}

/**
 * The whole log replayed into every projection: the rebuild, in a process of its own started as the rebuild command starts one (a fresh heap, the
 * server's young-generation size): run inside the bench's process, after the seeding and the log's
 * growth, it measured the heap those left behind as much as the replay.
 */
function runRebuildBench(dir) {
  const child = spawnSync(
    process.execPath,
    ['--max-semi-space-size=32', __filename, 'rebuild', dir],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`rebuild failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

async function rebuildHere(dir) {
  const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
  const t0 = now();
  const { events } = await core.runner.rebuild();
  const ms = now() - t0;
  await core.close();
  return { events, ms, events_per_second: events / (ms / 1000) };
}

module.exports = { runHttpBench, runRebuildBench, rawAppendCost, httpEdits, RECORDS };

if (require.main === module && process.argv[2] === 'rebuild') {
  rebuildHere(process.argv[3]).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
