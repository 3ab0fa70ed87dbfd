import { type Core } from '../../core';
import { ActivityFeed } from './activity-feed';
import { CurrentRecordsRepository } from './current-records.repository';
import { HistoryQueries } from './history.queries';
import { LogRepository } from './log.repository';
import { RestoreService } from './restore.service';
import { SnapshotStore } from './snapshot.store';
import { UndoService } from './undo.service';
import { ValueContext } from './value-context';

export const HISTORY = Symbol('HISTORY');

/** The history capability's parts, built once over the core. */
export interface History {
  log: LogRepository;
  snapshots: SnapshotStore;
  queries: HistoryQueries;
  feed: ActivityFeed;
  values: ValueContext;
  undo: UndoService;
  restore: RestoreService;
}

export function createHistory(core: Core, snapshotEvery = 10_000): History {
  const log = new LogRepository(core.db, core.store);
  const snapshots = new SnapshotStore(core.db, core.store, snapshotEvery);
  const values = new ValueContext(core, log);
  const queries = new HistoryQueries(core, log, values);
  return {
    log,
    snapshots,
    queries,
    feed: new ActivityFeed(core, log, queries, values),
    values,
    undo: new UndoService(core, log),
    restore: new RestoreService(core, log, snapshots, new CurrentRecordsRepository(core.db)),
  };
}
