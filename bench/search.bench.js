'use strict';
/**
 * Search over 100,000 investors and 300,000 contacts (targets: p50 ≤ 30 ms, p99 ≤ 100 ms), and
 * how long the indexer takes to read the seed's events after they commit. The query runs as GET
 * /api/search runs it, in-process.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { openCore } = require('./lib/core-handles');
const { indexLog } = require('./lib/search-index');
const { ROOT } = require('./lib/server');
const { now, summary } = require('./lib/stats');

const dist = (p) => require(path.join(ROOT, 'apps/api/dist', p));
const INVESTORS = Number(process.env.BENCH_SEARCH_INVESTORS ?? 100_000);
const CONTACTS = Number(process.env.BENCH_SEARCH_CONTACTS ?? 300_000);
const SYSTEM = { id: 'bench', name: 'Bench', role: 'system' };
const CITIES = ['Zürich', 'Genève', 'Basel', 'München', 'Paris', 'London', 'New York', 'Zug'];
const WORDS = [
  'Alpine',
  'Cedar',
  'Helvetia',
  'Summit',
  'Harbor',
  'Meridian',
  'Lakeside',
  'Granite',
];

const idOf = (prefix, n) => `${prefix}${String(n).padStart(14, '0')}`;

async function seed(core) {
  const table = (role) => core.repo.tableByRole(role);
  const field = (t, role) => t.fields.find((f) => f.role === role).id;
  const inv = table('investors');
  const con = table('contacts');
  const batches = [];
  for (let start = 0; start < INVESTORS; start += 5000) {
    const changes = [];
    for (let n = start; n < Math.min(INVESTORS, start + 5000); n++)
      changes.push({
        op: 'create',
        table_id: inv.id,
        record_id: idOf('rec', n),
        values: {
          [field(inv, 'investor.name')]: `${WORDS[n % 8]} ${CITIES[n % 8]} Capital ${n}`,
          [field(inv, 'investor.website')]: `https://lp${n}.example.com`,
          [field(inv, 'investor.notes')]: `Met in ${CITIES[(n * 3) % 8]}; fund ${n % 4} next.`,
        },
      });
    batches.push(changes);
  }
  for (let start = 0; start < CONTACTS; start += 5000) {
    const changes = [];
    for (let n = start; n < Math.min(CONTACTS, start + 5000); n++)
      changes.push({
        op: 'create',
        table_id: con.id,
        record_id: idOf('rec', INVESTORS + n),
        values: {
          [field(con, 'contact.name')]: `Person ${n} ${WORDS[(n * 5) % 8]}`,
          [field(con, 'contact.email')]: `person.${n}@lp${n % INVESTORS}.example.com`,
        },
      });
    batches.push(changes);
  }
  const t0 = now();
  for (const changes of batches)
    await core.commands.applyChanges(changes, { actor: SYSTEM, source: 'import' });
  return now() - t0;
}

async function runSearchBench(log) {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-bench-search-'));
  try {
    const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite') });
    log(`search bench: seeding ${INVESTORS} investors and ${CONTACTS} contacts…`);
    const seedMs = await seed(core);
    const { SearchRepository } = dist('capabilities/search/search.repository');
    const { SearchQuery } = dist('capabilities/search/search.query');
    // The indexer's work after the commits, timed on its own: events read after the checkpoint, in
    // transactions of 5,000 (the server takes steps of a few milliseconds between requests).
    log('search bench: indexing the log…');
    const t0 = now();
    await indexLog(core);
    const indexMs = now() - t0;
    const index = new SearchRepository(core.db);
    log(`search bench: indexed in ${(indexMs / 1000).toFixed(1)} s`);
    const query = new SearchQuery(index, (id) => core.repo.table(id)?.name ?? '');
    const queries = [
      'zurich',
      'Genève cap',
      'alpine',
      'person.1234@',
      'lp4242',
      'capital 777',
      'al',
      'helvetia basel',
      'granite',
      'example.com',
      'Person 29999',
      'zu',
    ];
    const times = [];
    const slowest = new Map();
    for (let round = 0; round < 20; round++)
      for (const q of queries) {
        const t0 = now();
        query.search({ q, tables: null, archived: false, limit: 20 });
        const ms = now() - t0;
        times.push(ms);
        slowest.set(q, Math.max(slowest.get(q) ?? 0, ms));
      }
    for (const [q, ms] of slowest) log(`  "${q}": at most ${ms.toFixed(1)} ms`);
    await core.close();
    const s = summary(times);
    log(
      `search: p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms over ${times.length} queries`,
    );
    return {
      investors: INVESTORS,
      contacts: CONTACTS,
      seed_ms: seedMs,
      index_ms: indexMs,
      query: s,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runSearchBench };

if (require.main === module) {
  runSearchBench((m) => process.stderr.write(`[bench] ${m}\n`))
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    });
}
