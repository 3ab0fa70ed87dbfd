import { Module } from '@nestjs/common';
import { ActorsController } from './actors.controller';
import { EventsStreamController } from './events-stream.controller';
import { FundraisingController } from './fundraising.controller';
import { SchemaController } from './schema.controller';
import { ViewLayoutController } from './view-layout.controller';

@Module({ controllers: [FundraisingController, SchemaController, ViewLayoutController, ActorsController, EventsStreamController] })
export class FundraisingModule {}
