import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ProcessorRunner } from '../../infrastructure/processing/processor-runner';
import { Roles } from '../auth/index';

/** How far each processor has reacted to the log, and pausing or resuming one. */
@Controller('admin/processors')
@Roles('admin')
export class ProcessorsController {
  constructor(private readonly runner: ProcessorRunner) {}

  @Get()
  list() {
    return { processors: this.runner.list() };
  }

  @Post(':name/pause')
  @HttpCode(200)
  pause(@Param('name') name: string) {
    return this.runner.pause(name);
  }

  /** Also clears a failure: the event it stopped at is tried again. */
  @Post(':name/resume')
  @HttpCode(200)
  resume(@Param('name') name: string) {
    return this.runner.resume(name);
  }
}
