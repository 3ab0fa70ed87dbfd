import { Module, type OnModuleInit } from '@nestjs/common';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { FeatureRequestCommands } from './feature-request.commands';
import { FeatureRequestsController } from './feature-requests.controller';
import { FeatureRequestsProjector } from './feature-requests.projector';
import { FeatureRequestsRepository } from './feature-requests.repository';

/** The team's feature-request board: requests, votes and their status, as events. */
@Module({
  controllers: [FeatureRequestsController],
  providers: [
    {
      provide: FeatureRequestCommands,
      inject: [CommandExecutor, SQLITE],
      useFactory: (executor: CommandExecutor, db: Sqlite) =>
        new FeatureRequestCommands(executor, new FeatureRequestsRepository(db)),
    },
  ],
})
export class FeatureRequestsModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly commands: FeatureRequestCommands,
  ) {}

  onModuleInit(): void {
    this.projections.register(new FeatureRequestsProjector(this.commands.repo));
  }
}
