'use strict';
/**
 * Backups of a large base (100,000 records, 1,000,000 events by default): how long an online backup
 * and a full verification (checksum, integrity, chain, replay) take, how big the copy is, and how
 * long the event loop stalls meanwhile (the server keeps answering between backup steps).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { now } = require('./lib/stats');
const { ROOT } = require('./lib/server');
const { openCore, seedInvestors, growLog } = require('./lib/dataset');

const { BackupService } = require(
  path.join(ROOT, 'apps/api/dist/capabilities/backups/backup.service'),
);

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const SYSTEM = { actor: { id: 'bench', name: 'Bench', role: 'system' }, source: 'system' };

async function timed(work) {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const t0 = now();
  const value = await work();
  const ms = now() - t0;
  lag.disable();
  return { value, ms, max_stall_ms: lag.max / 1e6 };
}

/**
 * Pass the directory of an already seeded data set (bench/run.js shares one) or nothing to seed one.
 * The backup, its verification and the pruned files stay inside that directory.
 */
async function runBackupBench(log, dataDir) {
  const own = dataDir ? null : mkdtempSync(path.join(tmpdir(), 'crm-bench-backup-'));
  const dir = dataDir ?? own;
  try {
    if (own) {
      log(`backup bench: seeding ${RECORDS} investors and growing the log to ${EVENTS} events…`);
      const ids = await seedInvestors(dir, RECORDS);
      await growLog(dir, ids, EVENTS);
    }
    const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
    try {
      const backups = new BackupService(core.db, core.clock, core.backupCommands, {
        dir: path.join(dir, 'backups'),
      });
      const records = core.db.prepare('SELECT COUNT(*) AS n FROM fundraising_records').get().n;
      log(`backing up ${records} records / ${core.store.lastPosition()} events…`);
      const backup = await timed(() => backups.create('manual', SYSTEM));
      const m = backup.value.manifest;
      log(`verifying backup ${m.id} (${(m.size / 1e6).toFixed(1)} MB)…`);
      const verify = await timed(() => backups.verify(m.id, SYSTEM));
      if (!verify.value.ok)
        throw new Error(
          `the benchmark's backup failed verification: ${JSON.stringify(verify.value.checks.filter((c) => !c.ok))}`,
        );
      return {
        records,
        events: m.event_count,
        backup: {
          ms: backup.ms,
          bytes: m.size,
          max_stall_ms: backup.max_stall_ms,
          mb_per_second: m.size / 1e6 / (backup.ms / 1000),
        },
        verify: {
          ms: verify.ms,
          max_stall_ms: verify.max_stall_ms,
          checks: verify.value.checks.map((c) => c.name),
        },
      };
    } finally {
      await core.close();
    }
  } finally {
    if (own) rmSync(own, { recursive: true, force: true });
  }
}

module.exports = { runBackupBench };
