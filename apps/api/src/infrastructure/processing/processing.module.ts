import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type Core, CORE } from '../../core';
import { CommitSignal } from './commit-signal';
import { ProcessorCheckpointsRepository } from './processor-checkpoints.repository';
import { ProcessorRunner } from './processor-runner';

/**
 * After-commit work: the commit signal and the processor runner. Capabilities register their
 * processors with `ProcessorRunner.register` when their module starts; the runner starts once the
 * app is up and stops (letting the event in hand finish) before the database closes.
 */
@Global()
@Module({
  providers: [
    {
      provide: CommitSignal,
      inject: [CORE],
      useFactory: (core: Core) => new CommitSignal(core.store),
    },
    {
      provide: ProcessorRunner,
      inject: [CORE, CommitSignal],
      useFactory: (core: Core, signal: CommitSignal) =>
        new ProcessorRunner(
          core.store,
          core.executor,
          core.uow,
          new ProcessorCheckpointsRepository(core.db),
          core.clock,
          signal,
        ),
    },
  ],
  exports: [CommitSignal, ProcessorRunner],
})
export class ProcessingModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(CommitSignal) private readonly signal: CommitSignal,
    @Inject(ProcessorRunner) private readonly runner: ProcessorRunner,
  ) {}

  onApplicationBootstrap(): void {
    this.signal.start();
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
    this.signal.stop();
  }
}
