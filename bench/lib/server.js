'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { catchUpSearch } = require('./search-index');

const ROOT = path.join(__dirname, '..', '..');
const ADMIN = { email: 'bench@fund.example', password: 'Bench-Password-2026!' };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the built server on a data directory and signs in as the bench admin when accounts exist;
 * `main` is another entry that boots the same built server (see lib/processor-server.js).
 */
async function startServer(dataDir, env = {}, main = path.join(ROOT, 'apps/api/dist/main.js')) {
  // The figures are taken on a server that has caught up with its log (below): a seeded base's
  // search index is read in here first, in one go, rather than by the server a step at a time.
  await catchUpSearch(dataDir);
  const port = await freePort();
  let out = '';
  // BENCH_NODE_ARGS passes flags to the server's node (e.g. --cpu-prof) when profiling a figure.
  // The young generation's size is the server's own (see package.json's start).
  const nodeArgs = [
    '--max-semi-space-size=32',
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  // The benchmark is one user typing far faster than a person: lift the write limit for it alone.
  // A variable given as null is left unset (the server's default).
  const merged = {
    ...process.env,
    CRM_ENV: 'test',
    CRM_DATA_DIR: dataDir,
    CRM_PORT: String(port),
    CRM_ADMIN_EMAIL: ADMIN.email,
    CRM_ADMIN_PASSWORD: ADMIN.password,
    CRM_RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    ...env,
  };
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  const spawnedAt = performance.now();
  let readyMs = null;
  const proc = spawn(process.execPath, [...nodeArgs, main], {
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited:\n${out}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Start to ready, as a container's health check sees it: the first 200 from /api/ready.
  for (;;) {
    const res = await fetch(`${url}/api/ready`);
    if (res.ok) {
      readyMs = performance.now() - spawnedAt;
      break;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const headers = {};
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (login.ok) headers.Authorization = `Bearer ${(await login.json()).access_token}`;
  // The search index and the processors follow the log after commit; on a freshly seeded base
  // they are still reading the seed (and the follow-up processor writing the values of every
  // investor with a typed last contact, once). Figures are taken once they have caught up, as on a
  // server that has been running: every processor at the head, then the index.
  for (;;) {
    if (!headers.Authorization) break;
    const res = await fetch(`${url}/api/admin/processors`, { headers });
    const list = res.ok ? (await res.json()).processors : [];
    if (list.every((p) => p.lag === 0 || p.status !== 'running')) break;
    if (Date.now() > deadline + 300_000) throw new Error('the processors did not catch up');
    await new Promise((r) => setTimeout(r, 200));
  }
  for (;;) {
    const ready = await (await fetch(`${url}/api/ready`)).json().catch(() => null);
    const check = (name) => ready?.checks?.find((c) => c.name === name);
    const [search, processors] = [check('search'), check('processors')];
    const behind = processors?.detail?.not_ready?.some((p) => p.reason === 'behind');
    if ((!search || search.detail.lag === 0) && !behind) break;
    if (Date.now() > deadline + 600_000)
      throw new Error('the search index or the processors did not catch up');
    await new Promise((r) => setTimeout(r, 200));
  }
  const exited = new Promise((r) => proc.once('exit', r));
  return {
    url,
    headers,
    proc,
    output: () => out,
    /** From the process's spawn to its first 200 from /api/ready (null if it never answered so). */
    ready_ms: readyMs,
    stop: async () => {
      proc.kill('SIGINT');
      await exited;
    },
  };
}

module.exports = { startServer, ADMIN, ROOT };
