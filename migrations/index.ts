import { EventStore1764100000000 } from './1764100000000-event-store';
import { FundraisingReadModels1764100000001 } from './1764100000001-fundraising-read-models';
import { Accounts1764100000002 } from './1764100000002-accounts';

/** Every migration, in order. TypeORM runs the ones not yet applied; `synchronize` is never on. */
export const MIGRATIONS = [EventStore1764100000000, FundraisingReadModels1764100000001, Accounts1764100000002];
