import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Provider,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { FundraisingCommands, FundraisingRepository } from '../fundraising';
import { UsersRepository } from '../users';
import { BASE_ACCESS, type BaseAccess } from './base-access';
import { ImportSessions } from './import-sessions.service';
import { ImportsRepository } from './imports.repository';

export const IMPORT_SESSIONS = Symbol('IMPORT_SESSIONS');

/**
 * At start-up, imports whose writing a stop interrupted are finished, in the background; at a stop,
 * the planning thread goes.
 */
@Injectable()
export class ImportResume implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Imports');

  constructor(@Inject(IMPORT_SESSIONS) private readonly sessions: ImportSessions) {}

  onApplicationBootstrap(): void {
    this.sessions.resumeUnfinished().then(
      (n) => n && this.logger.log(`finished ${n} import(s) interrupted by a stop`),
      (e: unknown) => this.logger.error(`could not finish interrupted imports: ${String(e)}`),
    );
  }

  onModuleDestroy(): Promise<void> {
    return this.sessions.close();
  }
}

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
    inject: [BASE_ACCESS, FundraisingCommands, CommandExecutor],
    useFactory: (base: BaseAccess, commands: FundraisingCommands, executor: CommandExecutor) =>
      new ImportSessions(base, commands, executor, new ImportsRepository(base.db)),
  },
  ImportResume,
];
