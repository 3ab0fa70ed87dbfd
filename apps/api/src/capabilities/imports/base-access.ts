import type { Clock } from '../../infrastructure/clock';
import type { Sqlite } from '../../infrastructure/database/database';
import type { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import type { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import type { FundraisingRepository } from '../fundraising';
import type { UsersRepository } from '../users';

/** What imports and exports read of the base: its tables and records, people's names, the log head. */
export interface BaseAccess {
  store: SqliteEventStore;
  repo: FundraisingRepository;
  users: UsersRepository;
  uow: UnitOfWork;
  db: Sqlite;
  clock: Clock;
}

export const BASE_ACCESS = Symbol('BASE_ACCESS');
