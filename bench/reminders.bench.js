'use strict';
/**
 * Reminders and the quick log over HTTP, on a base of 100,000 investors (BENCH_REMINDERS_RECORDS):
 * - "My day" for a partner with 500 open reminders (about half overdue): p50 ≤ 50 ms;
 * - a quick log with a next step (one interaction, one reminder, the derived values): p50 ≤ 1.5 ms;
 * - a view of the investors sorted by Last contacted (which interactions move) and one filtered to
 *   the stale ones (the Staleness field is `stale`), each read after a quick log changed the base:
 *   p50 ≤ 100 ms.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { summary, now } = require('./lib/stats');
const { startServer } = require('./lib/server');
const { client } = require('./lib/http');
const { seedInvestors, recordId, openCore } = require('./lib/dataset');

const RECORDS = Number(process.env.BENCH_REMINDERS_RECORDS ?? 100_000);
const OPEN_REMINDERS = 500;
const CONTACTED = Math.floor(RECORDS / 10);
const RUNS = 50;
const LOGS = 300;

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Durations of `work`, or what it answers when it times a part of itself (a number). */
async function timed(n, work) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    const own = await work(i);
    times.push(typeof own === 'number' ? own : now() - t0);
  }
  return summary(times);
}

async function ok(res, what) {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** 500 open reminders for the partner (due from 250 days ago to 250 ahead), and past interactions. */
async function seed(http, log) {
  for (let i = 0; i < OPEN_REMINDERS; i++)
    await ok(
      await http.request('POST', '/api/reminders', {
        record_id: recordId((i * 7919) % RECORDS),
        title: `Follow up ${i}`,
        due_date: day(i - OPEN_REMINDERS / 2),
      }),
      'reminder',
    );
  log(`reminders bench: ${OPEN_REMINDERS} reminders; logging ${CONTACTED} past interactions…`);
  for (let i = 0; i < CONTACTED; i++)
    await ok(
      await http.request('POST', '/api/fundraising/log-communication', {
        record_id: recordId((i * 10) % RECORDS),
        kind: 'call',
        summary: 'Quarterly catch-up',
        occurred_at: new Date(Date.now() - (i % 120) * 86_400_000).toISOString(),
      }),
      'interaction',
    );
}

async function runRemindersBench(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-reminders-'));
  let server;
  try {
    log(`reminders bench: seeding ${RECORDS} investors…`);
    const ids = await seedInvestors(dir, RECORDS);
    const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
    const lastContacted = core.repo
      .tableByRole('investors')
      .fields.find((f) => f.role === 'investor.last_contacted').id;
    await core.close();
    server = await startServer(dir);
    const http = client(server.url, server.headers);
    await seed(http, log);
    const myDay = await timed(RUNS, async () =>
      ok(await http.request('GET', '/api/my-day'), 'my day'),
    );
    const answer = (await http.request('GET', '/api/my-day')).json();
    const count = await timed(RUNS, async () =>
      ok(await http.request('GET', '/api/my-day/count'), 'count'),
    );
    const quickLog = await timed(LOGS, async (i) =>
      ok(
        await http.request(
          'POST',
          '/api/fundraising/log-communication',
          {
            record_id: recordId((i * 31 + 5) % RECORDS),
            kind: 'call',
            summary: `Call ${i}: wants the Q3 letter`,
            next_step: { title: 'Send the Q3 letter', due_date: day(7) },
          },
          { 'Idempotency-Key': `bench-log-${i}-0001` },
        ),
        'quick log',
      ),
    );
    // The grid's cell edit on the same server and disk, for scale: both wait for one fsync.
    const { nextStep } = ids;
    const edit = await timed(LOGS, async (i) =>
      ok(
        await http.request('POST', '/api/fundraising/changes', {
          changes: [
            { op: 'set', record_id: recordId(i), field_id: nextStep, from: null, to: `Call ${i}` },
          ],
        }),
        'edit',
      ),
    );
    const staleness = (await ok(await http.request('GET', '/api/fundraising/state'), 'state'))
      .json()
      .tables.find((t) => t.id === ids.table)
      .fields.find((f) => f.role === 'follow_up.staleness').id;
    const views = {};
    for (const [name, filters] of [
      ['sorted', null],
      [
        'stale',
        {
          conjunction: 'and',
          conditions: [{ field_id: staleness, operator: 'is', value: 'stale' }],
        },
      ],
    ]) {
      const view = (
        await ok(
          await http.request('POST', '/api/fundraising/views', {
            table_id: ids.table,
            name,
            filters,
            sorts: [{ field_id: lastContacted, direction: 'asc' }],
          }),
          'view',
        )
      ).json();
      // Each read follows a quick log, so the view is ordered afresh (not from its cache).
      views[name] = await timed(RUNS, async (i) => {
        await http.request('POST', '/api/fundraising/log-communication', {
          record_id: recordId((i * 97 + 3) % RECORDS),
          kind: 'note',
          summary: 'x',
        });
        const t0 = now();
        await ok(
          await http.request('GET', `/api/fundraising/views/${view.id}/records?limit=100`),
          'view records',
        );
        return now() - t0;
      });
    }
    const followUp = await timed(RUNS, async (i) =>
      ok(
        await http.request('GET', `/api/fundraising/records/${recordId(i * 10)}/follow-up`),
        'follow-up',
      ),
    );
    http.close();
    log(
      `reminders: My day (${answer.overdue.length} overdue, ${answer.due_today.length} today of ${OPEN_REMINDERS} open, ${RECORDS} investors) p50 ${myDay.p50.toFixed(1)} ms (target ≤ 50); count p50 ${count.p50.toFixed(2)} ms; quick log with a next step p50 ${quickLog.p50.toFixed(2)} ms (target ≤ 1.5; a grid cell edit here p50 ${edit.p50.toFixed(2)} ms); a record's follow-up values p50 ${followUp.p50.toFixed(2)} ms; views by Last contacted: sorted p50 ${views.sorted.p50.toFixed(1)} ms, Staleness = stale p50 ${views.stale.p50.toFixed(1)} ms (target ≤ 100)`,
    );
    return {
      records: RECORDS,
      open_reminders: OPEN_REMINDERS,
      contacted: CONTACTED,
      my_day: myDay,
      my_day_target_p50_ms: 50,
      overdue_count: count,
      log_communication: quickLog,
      log_communication_target_p50_ms: 1.5,
      grid_edit_same_server: edit,
      follow_up: followUp,
      view_sorted_by_last_contacted: views.sorted,
      view_filtered_stale: views.stale,
      views_target_p50_ms: 100,
    };
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runRemindersBench };

if (require.main === module) {
  runRemindersBench((m) => process.stderr.write(`[bench] ${m}\n`)).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
