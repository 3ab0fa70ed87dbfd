import type { Clock } from '../../infrastructure/clock';
import type { Sqlite } from '../../infrastructure/database/database';
import type { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import type { AutomationCommands } from '../automations';
import type { FundraisingCommands, FundraisingRepository } from '../fundraising';
import type { FollowUpUndo } from '../reminders';
import { ActivityFeed } from './activity-feed';
import { ActivityBatchesRepository } from './activity-batches.repository';
import { AsOfService } from './as-of.service';
import { CurrentRecordsRepository } from './current-records.repository';
import { HistoryQueries } from './history.queries';
import { LogRepository } from './log.repository';
import { ListsAt } from './lists-at';
import { RestoreLists } from './restore-lists';
import { RESTORE_BULK_FROM, RestoreService } from './restore.service';
import { SnapshotStore } from './snapshot.store';
import { UndoService } from './undo.service';
import { ValueContext } from './value-context';

export const HISTORY = Symbol('HISTORY');

/** What history reads and writes through: the log, the base's read models and its commands. */
export interface HistoryDeps {
  db: Sqlite;
  store: SqliteEventStore;
  repo: FundraisingRepository;
  commands: FundraisingCommands;
  /** List moves, undone with the batch that made them. */
  lists: AutomationCommands;
  /** Interactions and reminders, taken back with the batch (or the moment) that made them. */
  followUp: FollowUpUndo;
  uow: UnitOfWork;
  clock: Clock;
}

/** The history capability's parts, built once. */
export interface History {
  log: LogRepository;
  snapshots: SnapshotStore;
  queries: HistoryQueries;
  feed: ActivityFeed;
  values: ValueContext;
  undo: UndoService;
  restore: RestoreService;
  asOf: AsOfService;
}

export function createHistory(d: HistoryDeps, snapshotEvery = 10_000): History {
  const log = new LogRepository(d.db, d.store);
  const snapshots = new SnapshotStore(d.db, d.store, snapshotEvery, { uow: d.uow });
  const values = new ValueContext(d.repo, log);
  const queries = new HistoryQueries(d.store, d.repo, d.uow, log, values);
  const current = new CurrentRecordsRepository(d.db);
  return {
    log,
    snapshots,
    queries,
    feed: new ActivityFeed(
      d.uow,
      log,
      queries,
      values,
      new ActivityBatchesRepository(d.db, d.store),
    ),
    values,
    undo: new UndoService(d.commands, d.uow, log, d.lists, d.followUp),
    restore: new RestoreService(
      d.store,
      d.commands,
      d.uow,
      d.clock,
      log,
      snapshots,
      current,
      RESTORE_BULK_FROM,
      d.followUp,
      new RestoreLists(new ListsAt(d.db), d.lists),
    ),
    asOf: new AsOfService(d.db, log, snapshots, d.clock, () => d.repo.teamMembers()),
  };
}
