import { Module } from '@nestjs/common';
import { ProcessorsController } from './processors.controller';

/** The admin's view of the processors (the runner itself is in infrastructure/processing). */
@Module({ controllers: [ProcessorsController] })
export class ProcessorsModule {}
