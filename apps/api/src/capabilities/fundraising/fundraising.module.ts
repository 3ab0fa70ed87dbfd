import { UsersStoreModule } from '../users';
import { FundraisingStoreModule } from './fundraising-store.module';
import { Module } from '@nestjs/common';
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
  imports: [FundraisingStoreModule, UsersStoreModule],
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
export class FundraisingModule {}
