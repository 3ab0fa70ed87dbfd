'use strict';
/**
 * Ten HTTP clients editing cells, in a worker thread with its own event loop, so that a pause of
 * the server (running on the main thread of the same process) shows in the edits' latency and not
 * in the clients' own waits. Messages: the worker posts 'ready' after its warm-up edits; 'stop'
 * from the parent ends the load and the worker answers with the latencies measured after 'ready'.
 */
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const { client } = require('./http');
const { now } = require('./stats');

const WARM_UP = 200;

function startEditLoad({ url, headers, nextStep, records, clients = 10 }) {
  const worker = new Worker(__filename, {
    workerData: { url, headers, nextStep, records, clients },
  });
  const ready = new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
  });
  const stop = () =>
    new Promise((resolve, reject) => {
      worker.once('message', (m) => (Array.isArray(m) ? resolve(m) : reject(new Error(m))));
      worker.postMessage('stop');
    }).finally(() => worker.terminate());
  return { ready, stop };
}

async function runLoad() {
  const { url, headers, nextStep, records, clients } = workerData;
  const c = client(url, headers);
  const values = new Map();
  const latencies = [];
  let stopped = false;
  let done = 0;
  let seq = Math.floor(Math.random() * 1e6);
  parentPort.on('message', (m) => {
    if (m === 'stop') stopped = true;
  });
  const recordId = (n) => `rec${String(n).padStart(14, '0')}`;
  const edit = async (n) => {
    const record_id = recordId(n % records);
    const from = values.get(record_id) ?? null;
    const to = `step ${n}`;
    const t0 = now();
    const res = await c.request('POST', '/api/fundraising/changes', {
      changes: [{ op: 'set', record_id, field_id: nextStep, from, to }],
    });
    const ms = now() - t0;
    if (res.status !== 200) throw new Error(`edit answered ${res.status}: ${res.text}`);
    const body = res.json();
    values.set(record_id, body.conflicts.length ? body.conflicts[0].current : to);
    if (++done === WARM_UP) parentPort.postMessage('ready');
    else if (done > WARM_UP) latencies.push(ms);
  };
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (!stopped) await edit(seq++ * 13);
      }),
    );
    parentPort.postMessage(latencies);
  } catch (e) {
    parentPort.postMessage(`edit load failed: ${e.stack ?? e}`);
  } finally {
    c.close();
  }
}

if (!isMainThread) void runLoad();

module.exports = { startEditLoad };
