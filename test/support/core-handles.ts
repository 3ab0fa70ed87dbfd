import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openStore } from '../../apps/api/src/application';
import { BackupCommands } from '../../apps/api/src/capabilities/backups';
import {
  FundraisingCommands,
  FundraisingRepository,
} from '../../apps/api/src/capabilities/fundraising';
import { AccountCommands, UsersRepository } from '../../apps/api/src/capabilities/users';
import { CLOCK, type Clock } from '../../apps/api/src/infrastructure/clock';
import { CommandExecutor } from '../../apps/api/src/infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../apps/api/src/infrastructure/database/database';
import { UnitOfWork } from '../../apps/api/src/infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../apps/api/src/infrastructure/event-store/sqlite-event-store';
import type { StoreOptions } from '../../apps/api/src/infrastructure/infrastructure.module';
import { ProjectionRunner } from '../../apps/api/src/infrastructure/projections/projection-runner';

/** The write side's parts, resolved by name from the module graph the server runs. */
export interface Core {
  app: INestApplicationContext;
  dataSource: DataSource;
  db: Sqlite;
  store: SqliteEventStore;
  repo: FundraisingRepository;
  runner: ProjectionRunner;
  uow: UnitOfWork;
  executor: CommandExecutor;
  commands: FundraisingCommands;
  users: UsersRepository;
  accounts: AccountCommands;
  backupCommands: BackupCommands;
  clock: Clock;
  close(): Promise<void>;
}

export function coreOf(app: INestApplicationContext): Core {
  return {
    app,
    dataSource: app.get(DataSource),
    db: app.get<Sqlite>(SQLITE),
    store: app.get(SqliteEventStore),
    repo: app.get(FundraisingRepository),
    runner: app.get(ProjectionRunner),
    uow: app.get(UnitOfWork),
    executor: app.get(CommandExecutor),
    commands: app.get(FundraisingCommands),
    users: app.get(UsersRepository),
    accounts: app.get(AccountCommands),
    backupCommands: app.get(BackupCommands),
    clock: app.get<Clock>(CLOCK),
    close: () => app.close(),
  };
}

/** The store on a database file, as the command-line tools open it (see openStore). */
export async function openCore(options: StoreOptions & { serving?: boolean }): Promise<Core> {
  return coreOf(await openStore(options));
}
