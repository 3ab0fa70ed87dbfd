import { EVENT_STORE_SCHEMA, EventStore1764100000000 } from './1764100000000-event-store';
import { FundraisingReadModels1764100000001 } from './1764100000001-fundraising-read-models';
import { Accounts1764100000002 } from './1764100000002-accounts';
import { HISTORY_SCHEMA, History1764100000003 } from './1764100000003-history';
import { Backups1764100000004 } from './1764100000004-backups';
import { Imports1764100000005 } from './1764100000005-imports';
import { ViewsFormulas1764100000006 } from './1764100000006-views-formulas';
import { ImportFileGzip1764100000007 } from './1764100000007-import-file-gzip';
import { ProcessorCheckpoints1764100000008 } from './1764100000008-processor-checkpoints';
import { FormulaBacklog1764100000009 } from './1764100000009-formula-backlog';
import { ImportCommitSlices1764100000010 } from './1764100000010-import-commit-slices';
import { SearchIndex1764100000011 } from './1764100000011-search-index';
import { LinkIndex1764100000012 } from './1764100000012-link-index';
import { FormulaBooleans1764100000013 } from './1764100000013-formula-booleans';
import { Automations1764100000015 } from './1764100000015-automations';
import { RecordsSeqIndex1764100000016 } from './1764100000016-records-seq-index';
import { LinkNames1764100000017 } from './1764100000017-link-names';
import { Reminders1764100000019 } from './1764100000019-reminders';
import { PreUpgradeBackups1764100000020 } from './1764100000020-pre-upgrade-backups';
import { ApiTokens1764100000021 } from './1764100000021-api-tokens';
import { CommitmentsDashboardIndex1764100000022 } from './1764100000022-commitments-dashboard-index';
import { LookupsOfLinks1764100000023 } from './1764100000023-lookups-of-links';
import { ActivityStartPageFeatureRequests1764100000026 } from './1764100000026-activity-start-page-feature-requests';
import { BlobParts1764100000028 } from './1764100000028-blob-parts';
import { RetractedInteractions1764100000029 } from './1764100000029-retracted-interactions';
import { ReadIndexes1764100000033 } from './1764100000033-read-indexes';
import {
  FOLLOWS_LOG_SCHEMA,
  ProjectorsFollowTheLog1764100000034,
} from './1764100000034-projectors-follow-the-log';
import { CLOCK_STEPS_SCHEMA, ClockSteps1764100000035 } from './1764100000035-clock-steps';

/** Every migration, in order. TypeORM runs the ones not yet applied; `synchronize` is never on. */
export { EVENT_STORE_SCHEMA } from './1764100000000-event-store';
export { HISTORY_SCHEMA } from './1764100000003-history';
export { FOLLOWS_LOG_SCHEMA } from './1764100000034-projectors-follow-the-log';
export { CLOCK_STEPS_SCHEMA, CLOCK_STEPS_FROM_LOG } from './1764100000035-clock-steps';

/** The log's own tables as the store, the projection runner and the executor write them: for specs on a bare database. */
export const LOG_SCHEMA: readonly string[] = [
  ...EVENT_STORE_SCHEMA,
  ...HISTORY_SCHEMA,
  ...FOLLOWS_LOG_SCHEMA,
  ...CLOCK_STEPS_SCHEMA,
];

export const MIGRATIONS = [
  EventStore1764100000000,
  FundraisingReadModels1764100000001,
  Accounts1764100000002,
  History1764100000003,
  Backups1764100000004,
  Imports1764100000005,
  ViewsFormulas1764100000006,
  ImportFileGzip1764100000007,
  ProcessorCheckpoints1764100000008,
  FormulaBacklog1764100000009,
  ImportCommitSlices1764100000010,
  SearchIndex1764100000011,
  LinkIndex1764100000012,
  FormulaBooleans1764100000013,
  Automations1764100000015,
  RecordsSeqIndex1764100000016,
  LinkNames1764100000017,
  Reminders1764100000019,
  PreUpgradeBackups1764100000020,
  ApiTokens1764100000021,
  CommitmentsDashboardIndex1764100000022,
  LookupsOfLinks1764100000023,
  ActivityStartPageFeatureRequests1764100000026,
  BlobParts1764100000028,
  RetractedInteractions1764100000029,
  ReadIndexes1764100000033,
  ProjectorsFollowTheLog1764100000034,
  ClockSteps1764100000035,
];
