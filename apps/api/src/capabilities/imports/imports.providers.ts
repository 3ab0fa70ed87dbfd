import { type Provider } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { FundraisingCommands, FundraisingRepository } from '../fundraising';
import { UsersRepository } from '../users';
import { BASE_ACCESS, type BaseAccess } from './base-access';
import { ImportSessions } from './import-sessions.service';
import { ImportsRepository } from './imports.repository';

export const IMPORT_SESSIONS = Symbol('IMPORT_SESSIONS');

export const importsProviders: Provider[] = [
  {
    provide: BASE_ACCESS,
    inject: [SqliteEventStore, FundraisingRepository, UsersRepository, UnitOfWork, SQLITE, CLOCK],
    useFactory: (
      store: SqliteEventStore,
      repo: FundraisingRepository,
      users: UsersRepository,
      uow: UnitOfWork,
      db: Sqlite,
      clock: Clock,
    ): BaseAccess => ({ store, repo, users, uow, db, clock }),
  },
  {
    provide: IMPORT_SESSIONS,
    inject: [BASE_ACCESS, FundraisingCommands],
    useFactory: (base: BaseAccess, commands: FundraisingCommands) =>
      new ImportSessions(base, commands, new ImportsRepository(base.db)),
  },
];
