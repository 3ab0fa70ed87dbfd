import { Module } from '@nestjs/common';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { FeatureRequestCommands } from './feature-request.commands';
import { FeatureRequestsController } from './feature-requests.controller';
import { FeatureRequestsStoreModule } from './feature-requests-store.module';
import { FeatureRequestsRepository } from './feature-requests.repository';

/** The team's feature-request board: requests, votes and their status, as events. */
@Module({
  imports: [FeatureRequestsStoreModule],
  controllers: [FeatureRequestsController],
  providers: [
    {
      provide: FeatureRequestCommands,
      inject: [CommandExecutor, FeatureRequestsRepository],
      useFactory: (executor: CommandExecutor, repo: FeatureRequestsRepository) =>
        new FeatureRequestCommands(executor, repo),
    },
  ],
})
export class FeatureRequestsModule {}
