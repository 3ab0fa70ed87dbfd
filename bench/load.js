'use strict';
/**
 * `npm run load`: the load scenarios L1 and L2 of the reliability plan, against the built server
 * with its default limits, and the checks that decide them.
 *
 * L1: 10 editors (10 accounts), each setting 5 cells a second on a 5,000-record × 30-field table,
 *     20% of the edits on the same 50 hot records, for LOAD_SECONDS (default 600).
 * L2: the same, plus every 60 s a 1,000-row CSV import (upload and commit) and a CSV export of the
 *     whole table.
 * Then the server stops and the data is checked: every acknowledged edit is in the log exactly once,
 * every edit the server refused as a conflict is not, every applied change started from the value
 * the cell held (no update is lost), each export holds the records its log version had, the log and
 * the files are intact, and a rebuild of the read models equals them.
 *
 * LOAD_SECONDS sets the length of each scenario; LOAD_SCENARIOS=L1 runs the first alone.
 */
const {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');
const Papa = require('papaparse');
const { client } = require('./lib/http');
const { commitImport, uploadImport } = require('./lib/imports');
const { startServer, ROOT } = require('./lib/server');
const { now, summary } = require('./lib/stats');

const SECONDS = Number(process.env.LOAD_SECONDS ?? 600);
const SCENARIOS = (process.env.LOAD_SCENARIOS ?? 'L1,L2').split(',').map((s) => s.trim());
const EDITORS = 10;
const EDITS_PER_SECOND = 5;
const RECORDS = 5_000;
const FIELDS = 30;
const HOT = 50;
const HOT_SHARE = 0.2;
const IMPORT_ROWS = 1_000;
const EVERY_MS = 60_000;

const log = (m) => process.stderr.write(`[load] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n, d = 1) =>
  typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: d }) : String(n);

/** The table the editors work on: a name, an email and 28 more columns of text, numbers and a stage. */
function tableCsv() {
  const header = ['Name', 'Email', 'Stage', 'Commitment'];
  for (let k = header.length; k < FIELDS; k++) header.push(`Note ${k}`);
  const stages = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];
  const rows = [header];
  for (let n = 0; n < RECORDS; n++) {
    const row = [
      `Investor ${n}`,
      `ir${n}@investor${n}.example.com`,
      stages[n % 5],
      String(1_000_000 + (n % 40) * 250_000),
    ];
    for (let k = row.length; k < FIELDS; k++) row.push(`note ${k} of investor ${n}`);
    rows.push(row);
  }
  return Papa.unparse(rows);
}

/** The file imported every minute: the same 1,000 contacts, with a detail that changes each time. */
function contactsCsv(round) {
  const rows = [['Email', 'Name', 'Company', 'Last touch']];
  for (let n = 0; n < IMPORT_ROWS; n++)
    rows.push([
      `contact${n}@lp${n % 97}.example.com`,
      `Contact ${n}`,
      `LP ${n % 97}`,
      `round ${round}`,
    ]);
  return Papa.unparse(rows);
}

async function importFile(server, csv, fields, name) {
  const t0 = now();
  const session = await uploadImport(server, csv, fields, name);
  const upload_ms = now() - t0;
  const t1 = now();
  const { status, body: result } = await commitImport(server, session.id);
  return { status, upload_ms, commit_ms: now() - t1, session, result };
}

/** Nine members by invitation (each accepts and is signed in); with the admin, one account per editor. */
async function editorAccounts(server) {
  const accounts = [server.headers];
  for (let i = 1; i < EDITORS; i++) {
    const inv = await fetch(`${server.url}/api/admin/invites`, {
      method: 'POST',
      headers: { ...server.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `editor${i}@fund.example`, role: 'member' }),
    });
    const invite = await inv.json();
    if (inv.status !== 201)
      throw new Error(`invite answered ${inv.status}: ${JSON.stringify(invite)}`);
    const acc = await fetch(`${server.url}/api/auth/accept-invite`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        token: invite.token,
        name: `Editor ${i}`,
        password: `Load-Editor-Password-${i}!`,
      }),
    });
    const body = await acc.json();
    if (acc.status !== 201)
      throw new Error(`accept-invite answered ${acc.status}: ${JSON.stringify(body)}`);
    accounts.push({ Authorization: `Bearer ${body.access_token}` });
  }
  return accounts;
}

/**
 * One scenario: the editors for `seconds`, and with `extras` the import and export every minute.
 * Every request is timed; every edit goes into the ledger with its Idempotency-Key and answer.
 */
async function scenario(name, server, table, accounts, seconds, extras) {
  const ledger = [];
  const requests = [];
  const exports = [];
  const imports = [];
  const end = now() + seconds * 1000;
  const textFields = table.fields
    .filter((f) => f.type === 'text' && f.id !== table.primary_field_id)
    .map((f) => f.id);
  const editor = async (e) => {
    const c = client(server.url, accounts[e]);
    // What this editor's grid shows: the value it last saw in each cell.
    const seen = new Map();
    const valueOf = (rid, fid) =>
      seen.has(`${rid} ${fid}`) ? seen.get(`${rid} ${fid}`) : (table.values.get(rid)[fid] ?? null);
    const inFlight = new Set();
    let n = 0;
    let next = now() + Math.random() * (1000 / EDITS_PER_SECOND);
    while (now() < end) {
      await sleep(Math.max(0, next - now()));
      next += 1000 / EDITS_PER_SECOND;
      const rid =
        Math.random() < HOT_SHARE
          ? table.ids[Math.floor(Math.random() * HOT)]
          : table.ids[Math.floor(Math.random() * table.ids.length)];
      const fid = textFields[Math.floor(Math.random() * textFields.length)];
      const from = valueOf(rid, fid);
      const to = `${name} e${e} #${n++}`;
      const key = `load-${name}-e${e}-${n}`;
      const entry = {
        key,
        editor: e,
        record_id: rid,
        field_id: fid,
        from,
        to,
        status: 0,
        applied: false,
        conflict: false,
        ms: 0,
        busy: false,
      };
      ledger.push(entry);
      // Open loop: the next edit is sent on time even if this one is still being answered.
      const p = (async () => {
        const t0 = now();
        try {
          const res = await c.request(
            'POST',
            '/api/fundraising/changes',
            { changes: [{ op: 'set', record_id: rid, field_id: fid, from, to }] },
            { 'Idempotency-Key': key },
          );
          entry.ms = now() - t0;
          entry.status = res.status;
          requests.push({ kind: 'edit', ms: entry.ms, status: res.status });
          if (/SQLITE_BUSY|database is locked/i.test(res.text)) entry.busy = true;
          if (res.status === 200) {
            const body = res.json();
            entry.applied = body.applied.some((a) => a.changed);
            entry.conflict = body.conflicts.length > 0;
            seen.set(`${rid} ${fid}`, entry.conflict ? body.conflicts[0].current : to);
          }
        } catch (err) {
          entry.ms = now() - t0;
          entry.status = -1;
          entry.error = String(err);
        }
      })();
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
    c.close();
  };
  const extra = async () => {
    let round = 0;
    await sleep(Math.min(EVERY_MS / 2, (seconds * 1000) / 2));
    while (now() < end) {
      const started = now();
      round++;
      const imp = await importFile(
        server,
        contactsCsv(round),
        table.contacts
          ? { table_id: table.contacts, merge_fields: '["Email"]' }
          : { new_table_name: 'Contacts (load)', merge_fields: '["Email"]' },
        `contacts-${round}.csv`,
      );
      if (imp.status === 200) table.contacts = imp.session.table_id;
      imports.push({
        round,
        status: imp.status,
        upload_ms: imp.upload_ms,
        commit_ms: imp.commit_ms,
        created: imp.result.created,
        updated: imp.result.updated,
      });
      requests.push(
        { kind: 'import upload', ms: imp.upload_ms, status: 201 },
        { kind: 'import commit', ms: imp.commit_ms, status: imp.status },
      );
      const t0 = now();
      const res = await fetch(`${server.url}/api/fundraising/tables/${table.id}/export.csv`, {
        headers: server.headers,
      });
      const text = await res.text();
      const ms = now() - t0;
      requests.push({ kind: 'export', ms, status: res.status });
      const parsed = Papa.parse(text.replace(/^\uFEFF/, ''), {
        header: false,
        skipEmptyLines: true,
      });
      exports.push({
        status: res.status,
        ms,
        version: Number(res.headers.get('x-log-version')),
        header_rows: Number(res.headers.get('x-row-count')),
        parsed_rows: parsed.data.length - 1,
        bytes: text.length,
      });
      await sleep(Math.max(0, EVERY_MS - (now() - started)));
    }
  };
  log(
    `${name}: ${EDITORS} editors × ${EDITS_PER_SECOND} edits/s for ${seconds} s${extras ? `, an import of ${IMPORT_ROWS} rows and an export every ${EVERY_MS / 1000} s` : ''}…`,
  );
  await Promise.all([...accounts.map((_, e) => editor(e)), ...(extras ? [extra()] : [])]);
  return { ledger, requests, exports, imports };
}

function figures(run) {
  const edits = run.ledger;
  const latency = summary(edits.map((x) => x.ms));
  const slowest = run.requests.reduce((m, r) => (r.ms > m.ms ? r : m), { ms: 0, kind: '' });
  return {
    edits: edits.length,
    applied: edits.filter((x) => x.applied).length,
    conflicts: edits.filter((x) => x.conflict).length,
    latency,
    status_5xx:
      edits.filter((x) => x.status >= 500).length +
      run.requests.filter((r) => r.kind !== 'edit' && r.status >= 500).length,
    status_429: edits.filter((x) => x.status === 429).length,
    other_errors: edits.filter((x) => x.status !== 200 && x.status !== 429 && x.status < 500)
      .length,
    busy: edits.filter((x) => x.busy).length,
    slowest_request: { kind: slowest.kind, ms: slowest.ms },
    imports: run.imports,
    exports: run.exports.map(({ status, ms, version, header_rows, parsed_rows }) => ({
      status,
      ms,
      version,
      header_rows,
      parsed_rows,
    })),
  };
}

/**
 * After the server stops: the ledger against the log, no lost update on any cell, each export
 * against the records its log version held, the files' integrity, and a rebuild of the read models.
 */
async function verify(dataDir, table, runs) {
  const db = new Database(path.join(dataDir, 'crm.sqlite'), { readonly: true });
  const out = {};
  out.integrity = db.pragma('integrity_check', { simple: true });
  out.foreign_keys = db.pragma('foreign_key_check').length;
  // One pass over the table's events, in log order: where each value an edit set landed (every such
  // value is unique), and, on every cell, whether each applied change started from the value the one
  // before left (no lost update).
  const landed = new Map();
  const cells = new Map();
  let broken = 0;
  let changes = 0;
  for (const [type, data] of db
    .prepare(
      "SELECT type, data FROM events WHERE type IN ('RecordCreated', 'RecordUpdated') AND json_extract(data, '$.table_id') = ? ORDER BY position",
    )
    .raw()
    .iterate(table.id)) {
    const d = JSON.parse(data);
    if (type === 'RecordCreated') {
      for (const [fid, v] of Object.entries(d.values)) cells.set(`${d.record_id} ${fid}`, v);
      continue;
    }
    for (const c of d.changes) {
      const k = `${d.record_id} ${c.field_id}`;
      if (typeof c.to === 'string') landed.set(c.to, [...(landed.get(c.to) ?? []), k]);
      changes++;
      if ((cells.get(k) ?? null) !== (c.from ?? null)) broken++;
      cells.set(k, c.to);
    }
  }
  out.cell_changes_checked = changes;
  out.lost_updates = broken;
  const kept = db.prepare('SELECT COUNT(*) FROM idempotency_keys WHERE key = ?').pluck();
  let missing = 0;
  let duplicated = 0;
  let wrong = 0;
  let phantom = 0;
  for (const run of runs) {
    for (const x of run.ledger) {
      if (x.status !== 200) continue;
      const at = landed.get(x.to) ?? [];
      if (x.applied) {
        if (at.length === 0 || kept.get(x.key) !== 1) missing++;
        else if (at.length > 1) duplicated++;
        else if (at[0] !== `${x.record_id} ${x.field_id}`) wrong++;
      } else if (at.length !== 0) phantom++;
    }
  }
  Object.assign(out, {
    acknowledged_missing: missing,
    acknowledged_twice: duplicated,
    acknowledged_wrong: wrong,
    refused_but_written: phantom,
  });
  // Each export holds the records the table had at the log version it names.
  const live = db
    .prepare(
      `SELECT
      (SELECT COUNT(*) FROM events WHERE position <= @v AND type = 'RecordCreated' AND json_extract(data, '$.table_id') = @t)
    - (SELECT COUNT(*) FROM events WHERE position <= @v AND type = 'RecordArchived' AND json_extract(data, '$.table_id') = @t)
    + (SELECT COUNT(*) FROM events WHERE position <= @v AND type = 'RecordUnarchived' AND json_extract(data, '$.table_id') = @t) AS n`,
    )
    .pluck();
  out.exports_inconsistent = runs
    .flatMap((r) => r.exports)
    .filter(
      (x) =>
        x.status !== 200 ||
        x.parsed_rows !== x.header_rows ||
        x.parsed_rows !== live.get({ v: x.version, t: table.id }),
    ).length;
  out.exports_checked = runs.flatMap((r) => r.exports).length;
  const { n, max } = db.prepare('SELECT COUNT(*) AS n, MAX(position) AS max FROM events').get();
  out.position_gaps = max - n;
  out.stream_gaps = db
    .prepare(
      'SELECT COUNT(*) FROM (SELECT stream_id FROM events GROUP BY stream_id HAVING MAX(stream_version) <> COUNT(*))',
    )
    .pluck()
    .get();
  db.close();
  // A rebuild of the read models equals them (on a copy: the data stays as the run left it).
  const copy = mkdtempSync(path.join(os.tmpdir(), 'crm-load-verify-'));
  try {
    copyFileSync(path.join(dataDir, 'crm.sqlite'), path.join(copy, 'crm.sqlite'));
    const { openCore } = require('./lib/core-handles');
    const { dumpReadModels } = require(
      path.join(ROOT, 'apps/api/dist/capabilities/backups/read-model-hash'),
    );
    const core = await openCore({ databaseFile: path.join(copy, 'crm.sqlite'), seed: false });
    const before = dumpReadModels(core.db);
    await core.runner.rebuild();
    out.rebuild_equals_live = dumpReadModels(core.db) === before;
    await core.close();
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  return out;
}

async function loadTable(server, tableId) {
  const c = client(server.url, server.headers);
  const state = (await c.request('GET', '/api/fundraising/state')).json();
  const t = state.tables.find((x) => x.id === tableId);
  const page = (
    await c.request('GET', `/api/fundraising/tables/${tableId}/records?limit=10000`)
  ).json();
  c.close();
  return {
    id: t.id,
    primary_field_id: t.primary_field_id,
    fields: t.fields,
    ids: page.records.map((r) => r.id),
    values: new Map(page.records.map((r) => [r.id, r.values])),
  };
}

async function main() {
  if (!existsSync(path.join(ROOT, 'apps/api/dist/main.js')))
    throw new Error('build first: npm run build');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-load-'));
  // The server's own limits: L4 asks that editors at this rate never meet a 429.
  const server = await startServer(dir, { CRM_RATE_LIMIT_WRITES_PER_MINUTE: null });
  const results = {
    seconds: SECONDS,
    editors: EDITORS,
    edits_per_second_each: EDITS_PER_SECOND,
    records: RECORDS,
    fields: FIELDS,
  };
  let table;
  const runs = [];
  try {
    log(`importing the ${RECORDS} × ${FIELDS} table…`);
    const seed = await importFile(
      server,
      tableCsv(),
      { new_table_name: 'Investors (load)', merge_fields: '["Email"]' },
      'investors.csv',
    );
    if (seed.status !== 200)
      throw new Error(
        `seed import answered ${seed.status}: ${JSON.stringify(seed.result).slice(0, 300)}`,
      );
    table = await loadTable(server, seed.session.table_id);
    const accounts = await editorAccounts(server);
    for (const s of SCENARIOS) {
      const run = await scenario(s, server, table, accounts, SECONDS, s === 'L2');
      runs.push(run);
      results[s] = figures(run);
    }
  } catch (e) {
    log(`server output:\n${server.output().slice(-4000)}`);
    throw e;
  } finally {
    await server.stop();
  }
  log('checking the data…');
  results.verify = await verify(dir, table, runs);
  rmSync(dir, { recursive: true, force: true });

  const v = results.verify;
  const rows = [];
  for (const s of SCENARIOS) {
    const r = results[s];
    rows.push([
      `${s} edits (applied / conflicts)`,
      `${fmt(r.edits, 0)} (${fmt(r.applied, 0)} / ${fmt(r.conflicts, 0)})`,
      '—',
      null,
    ]);
    // Under L2 the L1 goals may degrade, by less than twice.
    const slack = s === 'L2' ? 2 : 1;
    rows.push([
      `${s} edit latency p95 (ms)`,
      r.latency.p95,
      `< ${150 * slack}`,
      r.latency.p95 < 150 * slack,
    ]);
    rows.push([
      `${s} edit latency p99 (ms)`,
      r.latency.p99,
      `< ${500 * slack}`,
      r.latency.p99 < 500 * slack,
    ]);
    rows.push([`${s} 5xx answers`, r.status_5xx, '0', r.status_5xx === 0]);
    rows.push([`${s} SQLITE_BUSY shown to a client`, r.busy, '0', r.busy === 0]);
    rows.push([`${s} 429 answers (L4)`, r.status_429, '0', r.status_429 === 0]);
    rows.push([`${s} other refused edits`, r.other_errors, '0', r.other_errors === 0]);
  }
  if (results.L2) {
    const r = results.L2;
    rows.push([
      'L2 slowest request (ms)',
      `${fmt(r.slowest_request.ms)} (${r.slowest_request.kind})`,
      '< 2,000',
      r.slowest_request.ms < 2000,
    ]);
    const longest = (xs, k) => Math.max(0, ...xs.map((x) => x[k]));
    rows.push([
      'L2 import upload / commit / export, longest (ms)',
      `${fmt(longest(r.imports, 'upload_ms'), 0)} / ${fmt(longest(r.imports, 'commit_ms'), 0)} / ${fmt(longest(r.exports, 'ms'), 0)}`,
      '—',
      null,
    ]);
    rows.push([
      'L2 imports committed',
      `${r.imports.filter((x) => x.status === 200).length} of ${r.imports.length}`,
      'all',
      r.imports.length > 0 && r.imports.every((x) => x.status === 200),
    ]);
    if (results.L1) {
      rows.push([
        "L2 p95 / p99 as multiples of L1's",
        `${fmt(r.latency.p95 / results.L1.latency.p95, 2)} / ${fmt(r.latency.p99 / results.L1.latency.p99, 2)}`,
        '—',
        null,
      ]);
    }
  }
  rows.push([
    'acknowledged edits missing / twice / wrong in the log',
    `${v.acknowledged_missing} / ${v.acknowledged_twice} / ${v.acknowledged_wrong}`,
    '0 / 0 / 0',
    v.acknowledged_missing + v.acknowledged_twice + v.acknowledged_wrong === 0,
  ]);
  rows.push([
    'conflicting edits written anyway',
    v.refused_but_written,
    '0',
    v.refused_but_written === 0,
  ]);
  rows.push([
    `lost updates over ${fmt(v.cell_changes_checked, 0)} cell changes`,
    v.lost_updates,
    '0',
    v.lost_updates === 0,
  ]);
  rows.push([
    `exports not matching their log version (of ${v.exports_checked})`,
    v.exports_inconsistent,
    '0',
    v.exports_inconsistent === 0,
  ]);
  rows.push([
    'integrity_check / foreign keys / position and stream gaps',
    `${v.integrity} / ${v.foreign_keys} / ${v.position_gaps} / ${v.stream_gaps}`,
    'ok / 0 / 0 / 0',
    v.integrity === 'ok' && v.foreign_keys === 0 && v.position_gaps === 0 && v.stream_gaps === 0,
  ]);
  rows.push([
    'read models rebuilt from the log equal the live ones',
    v.rebuild_equals_live,
    'true',
    v.rebuild_equals_live === true,
  ]);

  const w = [Math.max(...rows.map((r) => r[0].length)), 22, 16];
  const lines = rows.map(
    ([name, value, target, pass]) =>
      `${name.padEnd(w[0])}  ${(typeof value === 'number' ? fmt(value, 2) : String(value)).padStart(w[1])}  ${String(target).padStart(w[2])}  ${pass === null ? '' : pass ? 'PASS' : 'FAIL'}`,
  );
  process.stdout.write(
    `\nLoad: ${EDITORS} editors × ${EDITS_PER_SECOND} edits/s, ${SECONDS} s per scenario, ${os.cpus().length} cores\n\n${lines.join('\n')}\n`,
  );
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(
    path.join(__dirname, 'results', 'load-latest.json'),
    JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2),
  );
  if (rows.some((r) => r[3] === false)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
