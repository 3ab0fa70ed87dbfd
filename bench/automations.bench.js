'use strict';
/**
 * Automations under load (issue 17): 20 enabled rules on the investors (one of them fires on every
 * edit, 19 are put to every edit and do not fire), the sequential edit p50 and the 10-client load
 * with each run's lag after its edit's answer; then a daily schedule rule whose occurrence matches a
 * tenth of the investors, its duration and the longest answer of the server meanwhile.
 * `BENCH_AUTOMATION_RECORDS` sets the investors (default 100,000).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');
const { client } = require('./lib/http');
const { summary, now } = require('./lib/stats');
const { startServer } = require('./lib/server');
const { seedInvestors, recordId, openCore } = require('./lib/dataset');
const { atMost } = require('./lib/rows');

const RECORDS = Number(process.env.BENCH_AUTOMATION_RECORDS ?? 100_000);
const clock = () => performance.timeOrigin + performance.now();

async function fieldIds(dir) {
  const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
  const inv = core.repo.tableByRole('investors');
  await core.close();
  const f = (role) => inv.fields.find((x) => x.role === role).id;
  return {
    table: inv.id,
    nextStep: f('investor.next_step'),
    target: f('investor.target_commitment'),
  };
}

async function createRules(c, f) {
  const rule = (name, to, actions) => ({
    name,
    trigger: {
      type: 'record_updated',
      table_id: f.table,
      fields: [f.nextStep],
      ...(to ? { to } : {}),
    },
    conditions: null,
    actions,
    enabled: true,
  });
  const bodies = [
    rule('Note every next step', null, [{ type: 'log_note', text: 'next step set' }]),
  ];
  for (let i = 1; i < 20; i++)
    bodies.push(
      rule(`Next step is "never ${i}"`, { operator: 'is', value: `never ${i}` }, [
        { type: 'set_membership', list: 'follow_up', op: 'add' },
      ]),
    );
  for (const b of bodies) {
    const res = await c.request('POST', '/api/automations', b);
    if (res.status !== 201) throw new Error(`rule refused: ${res.status} ${res.text}`);
  }
}

async function caughtUp(c) {
  for (;;) {
    const { processors } = (await c.request('GET', '/api/admin/processors')).json();
    if (processors.every((p) => p.lag === 0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function editLoad(c, f) {
  const values = new Map();
  const answered = [];
  const edit = async (n) => {
    const record_id = recordId(n % RECORDS);
    const from = values.get(record_id) ?? null;
    const to = `step ${n}`;
    const t0 = now();
    const res = await c.request('POST', '/api/fundraising/changes', {
      changes: [{ op: 'set', record_id, field_id: f.nextStep, from, to }],
    });
    const ms = now() - t0;
    const at = clock();
    if (res.status !== 200) throw new Error(`edit answered ${res.status}: ${res.text}`);
    const body = res.json();
    values.set(record_id, body.conflicts.length ? body.conflicts[0].current : to);
    if (body.applied.some((a) => a.changed)) answered.push({ position: body.version, at });
    return ms;
  };
  for (let i = 0; i < 300; i++) await edit(i);
  const sequential = [];
  for (let i = 0; i < 2000; i++) sequential.push(await edit(1000 + i * 7));
  const from = answered.length;
  const duration = 8000;
  const end = now() + duration;
  const concurrentMs = [];
  let seq = 50_000;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (now() < end) concurrentMs.push(await edit(seq++ * 13));
    }),
  );
  return { sequential, concurrentMs, duration, answered: answered.slice(from) };
}

/** A daily rule due a minute from now (UTC): the scheduler ticks every 15 s, so it starts within 75 s. */
async function scheduleRun(c, f, log) {
  const soon = new Date(Date.now() + 60_000);
  const at = `${String(soon.getUTCHours()).padStart(2, '0')}:${String(soon.getUTCMinutes()).padStart(2, '0')}`;
  const res = await c.request('POST', '/api/automations', {
    name: 'Big tickets → longshot, daily',
    trigger: { type: 'schedule', table_id: f.table, every: 'day', at, time_zone: 'UTC' },
    // The seed's targets step by 250,000 over 50 values: the top five are a tenth of the investors.
    conditions: {
      conjunction: 'and',
      conditions: [{ field_id: f.target, operator: '>=', value: 1_000_000 + 45 * 250_000 }],
    },
    actions: [{ type: 'set_membership', list: 'longshot', op: 'add' }],
    enabled: true,
  });
  if (res.status !== 201) throw new Error(`schedule rule refused: ${res.status} ${res.text}`);
  const ruleId = res.json().id;
  log(`waiting for the schedule rule's occurrence at ${at} UTC…`);
  const expected = Math.ceil(RECORDS / 10);
  let longest = 0;
  for (;;) {
    const t0 = now();
    const page = await c.request('GET', `/api/automations/${ruleId}/runs?limit=1&status=succeeded`);
    longest = Math.max(longest, now() - t0);
    const rule = (await c.request('GET', '/api/automations'))
      .json()
      .rules.find((r) => r.id === ruleId);
    if (page.json().runs.length && rule.runs >= expected) break;
    if (!page.json().runs.length) longest = 0; // only while the occurrence runs
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ruleId, expected, longest_answer_ms: longest };
}

function runLags(dir, answered, ruleId) {
  const db = new Database(path.join(dir, 'crm.sqlite'), { readonly: true });
  const started = new Map(
    db
      .prepare(
        `SELECT json_extract(data, '$.trigger_position') AS p, recorded_at AS at FROM events
         WHERE type = 'AutomationRunStarted' AND json_extract(data, '$.rule_id') != ?`,
      )
      .all(ruleId)
      .map((r) => [r.p, Date.parse(r.at)]),
  );
  const schedule = db
    .prepare(
      `SELECT MIN(recorded_at) AS first, MAX(recorded_at) AS last, COUNT(*) AS n FROM events
       WHERE type = 'AutomationRunSucceeded' AND json_extract(data, '$.rule_id') = ?`,
    )
    .get(ruleId);
  db.close();
  const lags = answered
    .filter((a) => started.has(a.position))
    .map((a) => started.get(a.position) - a.at);
  return {
    lags,
    schedule_ms: Date.parse(schedule.last) - Date.parse(schedule.first),
    schedule_runs: schedule.n,
  };
}

async function runAutomationsBench(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-automations-'));
  try {
    log(`automations: seeding ${RECORDS} investors…`);
    await seedInvestors(dir, RECORDS);
    const f = await fieldIds(dir);
    const server = await startServer(dir);
    let load;
    let schedule;
    try {
      const c = client(server.url, server.headers);
      await createRules(c, f);
      log('automations: the edit load with 20 rules on…');
      load = await editLoad(c, f);
      await caughtUp(c);
      schedule = await scheduleRun(c, f, log);
      c.close();
    } catch (e) {
      log(`server output:\n${server.output()}`);
      throw e;
    } finally {
      await server.stop();
    }
    const lag = runLags(dir, load.answered, schedule.ruleId);
    return {
      records: RECORDS,
      rules: 20,
      edit_sequential: summary(load.sequential),
      concurrent: {
        clients: 10,
        per_second: load.concurrentMs.length / (load.duration / 1000),
        latency: summary(load.concurrentMs),
      },
      run_lag_ms: summary(lag.lags),
      schedule: {
        matching: schedule.expected,
        runs: lag.schedule_runs,
        ms: lag.schedule_ms,
        longest_answer_ms: schedule.longest_answer_ms,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows of the figures table. */
const automationRows = (a) => [
  atMost('HTTP cell edit p50 with 20 rules on (ms)', a.edit_sequential.p50, 1),
  atMost('rule run lag after the edit, 10 clients (p99 ms)', a.run_lag_ms.p99, 50),
  atMost(
    `daily schedule rule, ${a.schedule.matching} of ${a.records} matching (ms)`,
    a.schedule.ms,
    2000,
  ),
  atMost('longest answer during the schedule run (ms)', a.schedule.longest_answer_ms, 200),
];

module.exports = { runAutomationsBench, automationRows };

if (require.main === module)
  runAutomationsBench((m) => process.stderr.write(`[bench] ${m}\n`)).then(
    (r) => console.log(JSON.stringify({ ...r, rows: automationRows(r) }, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
