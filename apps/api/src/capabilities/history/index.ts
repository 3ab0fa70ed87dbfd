/** What other capabilities may use of history: its module and the views as of a past moment. */
export { HistoryModule } from './history.module';
export { AsOfService, type ResolvedMoment } from './as-of.service';
export { type DiffAnswer, type RecordsAnswer } from './as-of.compute';
export { HISTORY, type History } from './history.providers';
export { readTimestamp } from './as-of.service';
export { readableByTable } from './snapshot-records';
export { SnapshotStore } from './snapshot.store';
