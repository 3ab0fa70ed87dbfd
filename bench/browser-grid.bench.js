'use strict';
/**
 * Browser measure: time from navigation to a rendered grid (headless Chromium, the built web app
 * served by the built API) for 10,000 and 100,000 investors, plus a scroll through the grid.
 * Investors are seeded through the real API (POST /api/fundraising/changes, 10,000 creates per batch).
 *
 *   const { runBrowserGridBench } = require('./browser-grid.bench');
 *   const results = await runBrowserGridBench({ sizes: [10000, 100000], log: console.log });
 */
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer, ADMIN } = require('./lib/server');

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const BATCH = 10_000;
const RUNS = 3;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function chromiumPath() {
  const p = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(p))
    throw new Error(
      'Chromium not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH',
    );
  return p;
}

async function seed(server, count) {
  const call = async (method, url, body) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        ...server.headers,
        'Content-Type': 'application/json',
        'X-Requested-With': 'XMLHttpRequest',
      },
      body: body && JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const state = await call('GET', '/api/fundraising/state');
  const inv = state.tables.find((t) => t.role === 'investors');
  const f = (role) => inv.fields.find((x) => x.role === role).id;
  // Owner as free text, as the base had it before people fields.
  await call('PATCH', `/api/fundraising/fields/${f('investor.owner')}`, { type: 'text' });
  const stages = ['Lead', 'Engaged', 'Diligence', 'Committed', 'Passed'];
  const types = ['Family office', 'Endowment', 'Foundation', 'Pension', 'Fund of funds'];
  const started = Date.now();
  for (let start = 0; start < count; start += BATCH) {
    const changes = [];
    for (let n = start; n < Math.min(count, start + BATCH); n++) {
      changes.push({
        op: 'create',
        table_id: inv.id,
        values: {
          [f('investor.name')]: `Investor ${n}`,
          [f('investor.type')]: types[n % 5],
          [f('investor.stage')]: stages[n % 5],
          [f('investor.owner')]: `Partner ${n % 5}`,
          [f('investor.target_commitment')]: 1_000_000 + (n % 50) * 250_000,
          [f('investor.last_contacted')]: `2026-${String((n % 12) + 1).padStart(2, '0')}-15`,
          [f('investor.website')]: `https://investor${n}.example.com`,
          [f('investor.tags')]: n % 3 === 0 ? ['Warm intro'] : [],
        },
      });
    }
    await call('POST', '/api/fundraising/changes', { changes });
  }
  return Date.now() - started;
}

/** Navigation → the first rows of the grid are on screen (the base loaded, Handsontable rendered). */
async function timeToGrid(page) {
  const t0 = Date.now();
  await page.goto('/grid', { waitUntil: 'commit' });
  await page.waitForFunction(
    () => {
      const td = document.querySelector(
        '[data-testid=grid][data-ready=true] .ht_master tbody tr:first-child td',
      );
      return !!td && td.textContent === 'Investor 0';
    },
    null,
    { timeout: 180_000, polling: 16 },
  );
  return Date.now() - t0;
}

/** Scrolls the grid top to bottom in 40 steps, two frames each; reports ms per step and the slowest. */
async function scrollThrough(page) {
  return page.evaluate(async () => {
    const holder = document.querySelector('[data-testid=grid] .ht_master .wtHolder');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
    const steps = 40;
    const max = holder.scrollHeight - holder.clientHeight;
    const times = [];
    for (let i = 1; i <= steps; i++) {
      const t = performance.now();
      holder.scrollTop = (max * i) / steps;
      await frame();
      await frame();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { steps, p50_ms: times[Math.floor(steps / 2)], max_ms: times[steps - 1] };
  });
}

async function measureSize(browser, count, log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bench-grid-'));
  const server = await startServer(dir, {
    CRM_HANDSONTABLE_LICENSE_KEY: 'non-commercial-and-evaluation',
  });
  try {
    log(`grid bench: seeding ${count.toLocaleString()} investors through POST /changes…`);
    const seedMs = await seed(server, count);
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto('/login');
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=grid][data-ready=true]', { timeout: 180_000 });
    const loads = [];
    for (let i = 0; i < RUNS; i++) loads.push(await timeToGrid(page));
    const scroll = await scrollThrough(page);
    const heap = await page.evaluate(() =>
      performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : null,
    );
    await context.close();
    const result = {
      records: count,
      seed_ms: seedMs,
      load_ms: { runs: loads, p50: median(loads), max: Math.max(...loads) },
      scroll,
      js_heap_mb: heap,
    };
    log(
      `grid bench: ${count.toLocaleString()} records → rendered in ${result.load_ms.p50} ms (p50 of ${RUNS}); scroll step p50 ${scroll.p50_ms.toFixed(1)} ms, max ${scroll.max_ms.toFixed(1)} ms`,
    );
    return result;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runBrowserGridBench({ sizes = [10_000, 100_000], log = () => undefined } = {}) {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
  });
  try {
    const results = {};
    for (const n of sizes) results[`grid_${n}`] = await measureSize(browser, n, log);
    return results;
  } finally {
    await browser.close();
  }
}

module.exports = { runBrowserGridBench };

if (require.main === module) {
  runBrowserGridBench({ log: (m) => process.stdout.write(`${m}\n`) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e) => {
      process.stderr.write(`${e.stack ?? e}\n`);
      process.exit(1);
    });
}
