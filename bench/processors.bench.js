'use strict';
/**
 * Processors under the edit load: two no-op processors registered (bench/lib/processor-server.js),
 * the sequential edit p50 and the 10-client load as in core.bench.js, and each edit's processor
 * lag: from its HTTP answer (in this process) to each processor's handle call for its event (in
 * the server), on one absolute clock. A processor may be called before the answer has crossed the
 * socket, so a lag can be slightly negative.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { client } = require('./lib/http');
const { summary, now } = require('./lib/stats');
const { startServer } = require('./lib/server');
const { atMost, info } = require('./lib/rows');
const { recordId } = require('./lib/dataset');
const { RECORDS } = require('./core.bench');

const PROCESSOR_MAIN = path.join(__dirname, 'lib', 'processor-server.js');
const clock = () => performance.timeOrigin + performance.now();

/** Waits until every processor has handled the log (they start from its beginning). */
async function caughtUp(c) {
  for (;;) {
    const { processors } = (await c.request('GET', '/api/admin/processors')).json();
    if (processors.every((p) => p.lag === 0)) return processors.map((p) => p.name);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `values`: the cells as the HTTP bench left them on this data set. Without them every edit of a
 * cell it had set was sent `from: null`: a conflict, answered without a write or an event.
 */
async function editLoad(c, ids, values) {
  const answered = [];
  const edit = async (n) => {
    const record_id = recordId(n % RECORDS);
    const from = values.get(record_id) ?? null;
    const to = `step ${n} (processors)`;
    const t0 = now();
    const res = await c.request('POST', '/api/fundraising/changes', {
      changes: [{ op: 'set', record_id, field_id: ids.nextStep, from, to }],
    });
    const ms = now() - t0;
    const at = clock();
    if (res.status !== 200) throw new Error(`edit answered ${res.status}: ${res.text}`);
    const body = res.json();
    values.set(record_id, body.conflicts.length ? body.conflicts[0].current : to);
    if (body.applied.some((a) => a.changed)) answered.push({ position: body.version, at });
    return ms;
  };
  for (let i = 0; i < 300; i++) await edit(i); // warm-up
  const sequential = [];
  for (let i = 0; i < 3000; i++) sequential.push(await edit(1000 + i * 7));
  const fromConcurrent = answered.length;
  const duration = 8000;
  const end = now() + duration;
  const concurrentMs = [];
  let seq = 50_000;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (now() < end) concurrentMs.push(await edit(seq++ * 13));
    }),
  );
  return { sequential, concurrentMs, duration, answered: answered.slice(fromConcurrent) };
}

async function runProcessorBench(dir, ids, log, values = new Map()) {
  log('the 10-client edit load with two no-op processors registered…');
  const file = path.join(dir, 'processor-calls.json');
  const server = await startServer(dir, { BENCH_PROCESSOR_LOG: file }, PROCESSOR_MAIN);
  let load;
  let names;
  try {
    const c = client(server.url, server.headers);
    names = await caughtUp(c);
    load = await editLoad(c, ids, values);
    await caughtUp(c);
    c.close();
  } catch (e) {
    log(`server output:\n${server.output()}`);
    throw e;
  } finally {
    await server.stop();
  }
  const calls = JSON.parse(readFileSync(file, 'utf8'));
  // The lag of the two no-op processors; the server's own (automations, reminders…) are listed too.
  const noOps = names.filter((n) => calls[n] !== undefined);
  const lags = load.answered.flatMap((a) => noOps.map((n) => calls[n][a.position] - a.at));
  return {
    processors: names,
    edit_sequential: summary(load.sequential),
    concurrent: {
      clients: 10,
      per_second: load.concurrentMs.length / (load.duration / 1000),
      latency: summary(load.concurrentMs),
    },
    lag_ms: summary(lags),
  };
}

/** The rows of the figures table. */
const processorRows = (p) => [
  info('processor lag after commit, 10 clients, 2 no-op processors (p50 ms)', p.lag_ms.p50),
  atMost('processor lag after commit, 10 clients, 2 no-op processors (p99 ms)', p.lag_ms.p99, 50),
  atMost('HTTP cell edit p50 with 2 processors registered (ms)', p.edit_sequential.p50, 1),
];

module.exports = { runProcessorBench, processorRows };
