import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../clock';
import { CommandExecutor } from '../commands/command-executor';
import { SQLITE, type Sqlite } from '../database/database';
import { UnitOfWork } from '../database/unit-of-work';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
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
      inject: [SqliteEventStore],
      useFactory: (store: SqliteEventStore) => new CommitSignal(store),
    },
    {
      provide: ProcessorRunner,
      inject: [SqliteEventStore, CommandExecutor, UnitOfWork, SQLITE, CLOCK, CommitSignal],
      useFactory: (
        store: SqliteEventStore,
        executor: CommandExecutor,
        uow: UnitOfWork,
        db: Sqlite,
        clock: Clock,
        signal: CommitSignal,
      ) =>
        new ProcessorRunner(
          store,
          executor,
          uow,
          new ProcessorCheckpointsRepository(db),
          clock,
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
