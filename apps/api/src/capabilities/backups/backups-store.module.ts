import { Module, type OnModuleInit } from '@nestjs/common';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { BackupCommands } from './backup.commands';
import { BackupsProjector } from './backups.projector';
import { BackupsRepository } from './backups.repository';

/** Backups' write side: the backup streams' commands and the list they project. */
@Module({
  providers: [
    {
      provide: BackupsRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new BackupsRepository(db),
    },
    {
      provide: BackupCommands,
      inject: [CommandExecutor, BackupsRepository],
      useFactory: (executor: CommandExecutor, repo: BackupsRepository) =>
        new BackupCommands(executor, repo),
    },
  ],
  exports: [BackupsRepository, BackupCommands],
})
export class BackupsStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: BackupsRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new BackupsProjector(this.repo));
  }
}
