import { dashboardRowsOf, type DashboardRows, type StageEntry, type TableState } from '@crm/domain';
import { type Sqlite } from '../../infrastructure/database/database';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { readableByTable, SnapshotStore } from '../history/index';
import { DashboardRowsRepository, stageFieldOf } from './dashboard-rows.repository';

/** What the dashboard reads of a past moment: its rows, its stage entries and its schema. */
export interface RowsAt {
  rows: DashboardRows;
  entries: StageEntry[];
  tables: TableState[];
}

/** The dashboard's rows at a past moment, from the nearest snapshot and a replay of the log. */
export function rowsAt(db: Sqlite, position: number, since: string): RowsAt {
  const base = readableByTable(new SnapshotStore(db, new SqliteEventStore(db)).stateAt(position));
  const stage = stageFieldOf(base.tables.values());
  return {
    rows: dashboardRowsOf(base),
    entries: stage ? new DashboardRowsRepository(db).stageEntries(stage, position, since) : [],
    tables: [...base.tables.values()],
  };
}
