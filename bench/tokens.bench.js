'use strict';
/**
 * A request with an API token costs no more than one with a session: the core HTTP edit bench
 * (the same edits, sequential and 10 concurrent clients) run against one server twice, once signed
 * in with the session's JWT and once with a write-scoped API token, alternating so that neither
 * gets a warmer cache or a fuller log; the median of the rounds is reported. Target: the token's
 * edit p50 within 5% of the session's.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { httpEdits, RECORDS } = require('./core.bench');
const { seedInvestors } = require('./lib/dataset');
const { client } = require('./lib/http');
const { startServer } = require('./lib/server');

const ROUNDS = Number(process.env.BENCH_TOKEN_ROUNDS ?? 3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function makeToken(server) {
  const c = client(server.url, server.headers);
  const res = await c.request('POST', '/api/me/tokens', { name: 'bench', scope: 'write' });
  c.close();
  if (res.status !== 201) throw new Error(`token answered ${res.status}: ${res.text}`);
  return res.json().token;
}

async function runTokensBench(log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-tokens-'));
  try {
    log(`tokens bench: seeding ${RECORDS} investors…`);
    const ids = await seedInvestors(dir, RECORDS);
    const server = await startServer(dir);
    try {
      const token = { Authorization: `Bearer ${await makeToken(server)}` };
      const as = { session: server, token: { ...server, headers: token } };
      // One server, so one record of its cells: each round edits from the values the last left.
      const values = new Map();
      log('tokens bench: a round of each to warm the server up (not counted)…');
      await httpEdits(as.session, ids, values);
      await httpEdits(as.token, ids, values);
      const runs = { session: [], token: [] };
      for (let round = 0; round < ROUNDS; round++) {
        // Each goes first in turn, so that neither always follows the other's writes.
        const order = round % 2 === 0 ? ['session', 'token'] : ['token', 'session'];
        log(`tokens bench: round ${round + 1} of ${ROUNDS}, ${order.join(' then ')}…`);
        for (const who of order) runs[who].push(await httpEdits(as[who], ids, values));
      }
      const p50 = (xs) => median(xs.map((r) => r.sequential.p50));
      const rate = (xs) => median(xs.map((r) => r.concurrent.per_second));
      return {
        session: { edit_p50_ms: p50(runs.session), concurrent_per_second: rate(runs.session) },
        token: { edit_p50_ms: p50(runs.token), concurrent_per_second: rate(runs.token) },
        token_to_session_p50: p50(runs.token) / p50(runs.session),
        runs,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { runTokensBench };

if (require.main === module) {
  runTokensBench((m) => process.stderr.write(`[bench] ${m}\n`))
    .then((r) => {
      const { runs, ...figures } = r;
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      process.stdout.write(
        `${JSON.stringify(
          runs.token.map((x, i) => ({ session: runs.session[i].sequential, token: x.sequential })),
          null,
          2,
        )}\n`,
      );
    })
    .catch((e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    });
}
