import { FundraisingStoreModule } from './fundraising-store.module';
import { Module, type OnModuleInit } from '@nestjs/common';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { ProcessorRunner } from '../../infrastructure/processing/processor-runner';
import { HistoryModule } from '../history/index';
import { UsersRepository, UsersStoreModule } from '../users';
import { FundraisingCommands } from './fundraising.commands';
import { OwnerUpgradeProcessor } from './owner-upgrade.processor';
import { ActorsController } from './actors.controller';
import { EventsStreamController } from './events-stream.controller';
import { FundraisingController } from './fundraising.controller';
import { SchemaController } from './schema.controller';
import { ViewLayoutController } from './view-layout.controller';
import { ViewsController } from './views.controller';
import { FormulaController } from './formula.controller';
import { FormulaBacklogRunner } from './formula-backlog.runner';
import { LiveEventsSubscriber } from './live-events.subscriber';

@Module({
  imports: [FundraisingStoreModule, UsersStoreModule, HistoryModule],
  controllers: [
    FundraisingController,
    SchemaController,
    ViewLayoutController,
    ActorsController,
    EventsStreamController,
    ViewsController,
    FormulaController,
  ],
  providers: [FormulaBacklogRunner, LiveEventsSubscriber],
})
export class FundraisingModule implements OnModuleInit {
  constructor(
    private readonly runner: ProcessorRunner,
    private readonly commands: FundraisingCommands,
    private readonly users: UsersRepository,
    private readonly store: SqliteEventStore,
  ) {}

  onModuleInit(): void {
    this.runner.register(new OwnerUpgradeProcessor(this.commands, this.users, this.store));
  }
}
