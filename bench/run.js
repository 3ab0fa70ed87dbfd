'use strict';
/** `npm run bench`: prints a table of figures against their targets and writes bench/results/latest.json. */
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runCoreBench } = require('./core.bench');

const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const fmt = (n, d = 2) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: d }) : String(n));

async function main() {
  const started = new Date().toISOString();
  const core = await runCoreBench(log);
  const rows = [
    ['HTTP cell edit, sequential p50 (ms)', core.sequential.p50, '≤ 1', core.sequential.p50 <= 1],
    ['HTTP cell edit, sequential p99 (ms)', core.sequential.p99, '≤ 5', core.sequential.p99 <= 5],
    ['HTTP edits/s, 10 concurrent clients', core.concurrent.per_second, '≥ 1,500', core.concurrent.per_second >= 1500],
    ['GET records, 10,000 (p50 ms)', core.records_10k.p50, '≤ 80', core.records_10k.p50 <= 80],
    ['GET state, 100,000 records (p50 ms)', core.state_full.p50, '≤ 800', core.state_full.p50 <= 800],
    [`projection rebuild (events/s over ${fmt(core.rebuild.events, 0)})`, core.rebuild.events_per_second, '≥ 100,000', core.rebuild.events_per_second >= 100000],
    ['raw better-sqlite3 append+update tx p50 (ms)', core.raw_append.p50, '—', null],
    ['ratio: HTTP edit p50 / raw tx p50', core.ratio_http_edit_to_raw_append, '—', null],
    ['seed through append path (records/s)', core.seed.records_per_second, '—', null],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\nVenture CRM benchmark — ${os.cpus().length} cores, node ${process.version}\n\n`);
  process.stdout.write(`${'measure'.padEnd(width)}  ${'value'.padStart(12)}  ${'target'.padStart(10)}  result\n`);
  for (const [name, value, target, ok] of rows) {
    process.stdout.write(`${name.padEnd(width)}  ${fmt(value).padStart(12)}  ${target.padStart(10)}  ${ok === null ? '' : ok ? 'pass' : 'MISS'}\n`);
  }
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'latest.json'), JSON.stringify({ started, finished: new Date().toISOString(), machine: { cores: os.cpus().length, node: process.version }, core }, null, 2));
  process.stdout.write(`\nwritten to bench/results/latest.json\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
