import { Module } from '@nestjs/common';
import { FundraisingController } from './fundraising.controller';
import { SchemaController } from './schema.controller';

@Module({ controllers: [FundraisingController, SchemaController] })
export class FundraisingModule {}
