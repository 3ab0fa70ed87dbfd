'use strict';
/**
 * Time travel over a long log: restore-previews at random moments (target ≤ 1 s each over
 * 1,000,000 events) and what the snapshots that make them fast cost in size and build time.
 */
const path = require('node:path');
const { summary, now } = require('./lib/stats');
const { ROOT } = require('./lib/server');
const { openCore } = require('./lib/dataset');

const { createHistory } = require(
  path.join(ROOT, 'apps/api/dist/capabilities/history/history.providers'),
);

/** Called during the log's growth: takes snapshots as the server's background job would. */
function snapshotter(every) {
  const builds = [];
  let history = null;
  return {
    builds,
    onBatch(core) {
      history =
        history && history.core === core ? history : { core, h: createHistory(core, every) };
      const t0 = now();
      const at = history.h.snapshots.maybeSnapshot(new Date().toISOString());
      if (at !== null) builds.push(now() - t0);
    },
  };
}

async function runHistoryBench(dir, snap, log, count = 20) {
  const core = await openCore({ databaseFile: path.join(dir, 'crm.sqlite'), seed: false });
  const history = createHistory(core, snap.every);
  const head = core.store.lastPosition();
  const stats = history.snapshots.stats();
  log(`restore-previews at ${count} random moments over ${head} events…`);
  const ms = [];
  const detail = [];
  for (let i = 0; i < count; i++) {
    const position = 1 + Math.floor(Math.random() * (head - 1));
    const at = core.store.readAll(position - 1, 1)[0].recorded_at;
    const t0 = now();
    const preview = await history.restore.preview({ at });
    const took = now() - t0;
    ms.push(took);
    detail.push({
      at,
      position: preview.target.position,
      ms: took,
      to_change: preview.counts.to_change,
      to_archive: preview.counts.to_archive,
    });
  }
  await core.close();
  return {
    events: head,
    preview: summary(ms),
    previews: detail,
    snapshots: {
      every: snap.every,
      count: stats.count,
      total_bytes: stats.bytes,
      build_ms: snap.builds.length ? summary(snap.builds) : null,
    },
  };
}

module.exports = { runHistoryBench, snapshotter };
