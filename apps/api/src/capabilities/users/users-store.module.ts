import { Module, type OnModuleInit } from '@nestjs/common';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { AccountCommands } from './account.commands';
import { UsersProjector } from './users.projector';
import { UsersRepository } from './users.repository';

/** Accounts' write side: the users' tables, the account commands and their read model. */
@Module({
  providers: [
    {
      provide: UsersRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new UsersRepository(db),
    },
    {
      provide: AccountCommands,
      inject: [CommandExecutor, UsersRepository],
      useFactory: (executor: CommandExecutor, users: UsersRepository) =>
        new AccountCommands(executor, users),
    },
  ],
  exports: [UsersRepository, AccountCommands],
})
export class UsersStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly users: UsersRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new UsersProjector(this.users));
  }
}
