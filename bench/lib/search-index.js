'use strict';
/**
 * The search index brought up to the log in one go, in the bench's own process. A server reads a
 * freshly seeded log into its index a short step at a time between requests (minutes for 100,000
 * records); the figures are taken once it has caught up, so the bench does that reading up front,
 * with the server's own projector, in transactions of 5,000 events.
 */
const path = require('node:path');
const { existsSync } = require('node:fs');
const { openCore } = require('./core-handles');

const ROOT = path.resolve(__dirname, '../..');
const dist = (p) => require(path.join(ROOT, 'apps/api/dist', p));

/** Indexes every event after the index's checkpoint; answers how many. */
async function indexLog(core) {
  const { SearchRepository } = dist('capabilities/search/search.repository');
  const { SearchProjector } = dist('capabilities/search/search.projector');
  const index = new SearchRepository(core.db);
  const projector = new SearchProjector(core.repo, index);
  let count = 0;
  for (let events = core.store.readAll(index.checkpoint(), 5000); events.length;) {
    await core.uow.write(() => {
      for (const e of events) projector.apply(e);
      index.setCheckpoint(events[events.length - 1].position);
    });
    count += events.length;
    events = core.store.readAll(index.checkpoint(), 5000);
  }
  return count;
}

/** Catches the index of the base in `dataDir` up with its log, if there is one to catch up with. */
async function catchUpSearch(dataDir) {
  const databaseFile = path.join(dataDir, 'crm.sqlite');
  if (!existsSync(databaseFile)) return 0;
  const core = await openCore({ databaseFile, seed: false });
  try {
    return await indexLog(core);
  } finally {
    await core.close();
  }
}

module.exports = { indexLog, catchUpSearch };
