'use strict';
/**
 * The event-sourced core under load: seeding through the real append path, cell edits over HTTP
 * (sequential and 10 concurrent clients), big reads, a rebuild over a million events, and the raw
 * better-sqlite3 cost of one append-plus-update transaction for comparison.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');
const { client } = require('./lib/http');
const { summary, now } = require('./lib/stats');
const { startServer, ROOT } = require('./lib/server');

const { openCore } = require(path.join(ROOT, 'apps/api/dist/core'));

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const REBUILD_EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const SYSTEM = { id: 'bench', name: 'Bench', role: 'system' };

const recordId = (n) => `rec${String(n).padStart(14, '0')}`;

async function seed(core, count) {
  const inv = core.repo.tableByRole('investors');
  const f = (role) => inv.fields.find((x) => x.role === role).id;
  const stages = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];
  const types = ['Family office', 'Endowment', 'Foundation', 'Pension', 'Fund of funds'];
  const started = now();
  for (let start = 0; start < count; start += 1000) {
    const changes = [];
    for (let n = start; n < Math.min(count, start + 1000); n++) {
      changes.push({ op: 'create', table_id: inv.id, record_id: recordId(n), values: {
        [f('investor.name')]: `Investor ${n}`, [f('investor.type')]: types[n % 5], [f('investor.stage')]: stages[n % 5],
        [f('investor.owner')]: `Partner ${n % 5}`, [f('investor.target_commitment')]: 1_000_000 + (n % 50) * 250_000,
        [f('investor.last_contacted')]: `2026-${String((n % 12) + 1).padStart(2, '0')}-15`, [f('investor.website')]: `https://investor${n}.example.com`,
        [f('investor.notes')]: `Met at the annual meeting; follow up on fund ${n % 4}.`,
      } });
    }
    core.commands.applyChanges(changes, { actor: SYSTEM, source: 'import' });
  }
  return { table: inv.id, owner: f('investor.owner'), nextStep: f('investor.next_step'), ms: now() - started };
}

async function httpEdits(server, ids) {
  const c = client(server.url, server.headers);
  const values = new Map();
  const edit = async (n) => {
    const record_id = recordId(n % RECORDS);
    const from = values.get(record_id) ?? null;
    const to = `step ${n}`;
    const t0 = now();
    const res = await c.request('POST', '/api/fundraising/changes', { changes: [{ op: 'set', record_id, field_id: ids.nextStep, from, to }] });
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
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (now() < end) {
      concurrentMs.push(await edit(seq++ * 13));
      done++;
    }
  }));
  c.close();
  return { sequential: summary(sequential), concurrent: { clients: 10, edits: done, per_second: done / (duration / 1000), latency: summary(concurrentMs) } };
}

async function httpReads(server, ids) {
  const c = client(server.url, server.headers);
  const page = [];
  for (let i = 0; i < 15; i++) {
    const t0 = now();
    const res = await c.request('GET', `/api/fundraising/tables/${ids.table}/records?limit=10000`);
    page.push(now() - t0);
    if (res.status !== 200 || res.json().records.length !== Math.min(10000, RECORDS)) throw new Error(`records page failed: ${res.status}`);
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

async function growLog(core, ids, target) {
  const started = now();
  const current = new Map();
  let n = 0;
  while (core.store.lastPosition() < target) {
    const changes = [];
    for (let i = 0; i < 5000; i++, n++) {
      const record_id = recordId((n * 7919) % RECORDS);
      changes.push({ op: 'set', record_id, field_id: ids.owner, from: current.get(record_id) ?? `Partner ${((n * 7919) % RECORDS) % 5}`, to: `Owner ${n}` });
      current.set(record_id, `Owner ${n}`);
    }
    // Each change in its own event: the rebuild should face a realistic million single-edit events.
    const grouped = changes.reduce((acc, ch, i) => (i % 1 === 0 ? acc.push([ch]) : acc[acc.length - 1].push(ch), acc), []);
    core.uow.run(() => { for (const g of grouped) core.commands.applyChanges(g, { actor: SYSTEM, source: 'grid' }); });
  }
  return { events: core.store.lastPosition(), ms: now() - started };
}

function rawAppendCost(dir) {
  const db = new Database(path.join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT, stream_version INTEGER, type TEXT, data TEXT, UNIQUE (stream_id, stream_version));
           CREATE TABLE records (id TEXT PRIMARY KEY, values_json TEXT, version INTEGER);`);
  const ins = db.prepare('INSERT INTO events (position, stream_id, stream_version, type, data) VALUES (?, ?, ?, ?, ?)');
  const upd = db.prepare('INSERT INTO records (id, values_json, version) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET values_json = excluded.values_json, version = excluded.version');
  const tx = db.transaction((i) => {
    ins.run(i, `record-${i % 1000}`, Math.floor(i / 1000) + 1, 'RecordUpdated', JSON.stringify({ changes: [{ field_id: 'fld', from: i - 1, to: i }] }));
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

async function runCoreBench(log) {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-bench-'));
  const results = {};
  try {
    log(`seeding ${RECORDS} investors through the append path…`);
    let core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite') });
    const ids = await seed(core, RECORDS);
    results.seed = { records: RECORDS, ms: ids.ms, records_per_second: RECORDS / (ids.ms / 1000) };
    await core.close();

    log('HTTP edits and reads against the server process…');
    const server = await startServer(dir);
    try {
      Object.assign(results, await httpEdits(server, ids));
      Object.assign(results, await httpReads(server, ids));
    } catch (e) {
      log(`server output:\n${server.output()}`);
      throw e;
    } finally {
      await server.stop();
    }

    log(`growing the log to ${REBUILD_EVENTS} events…`);
    core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
    results.grow = await growLog(core, ids, REBUILD_EVENTS);
    log('rebuilding every projection…');
    const t0 = now();
    const { events } = core.runner.rebuild();
    const ms = now() - t0;
    results.rebuild = { events, ms, events_per_second: events / (ms / 1000) };
    await core.close();

    results.raw_append = rawAppendCost(dir);
    results.ratio_http_edit_to_raw_append = results.sequential.p50 / results.raw_append.p50;
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runCoreBench };
