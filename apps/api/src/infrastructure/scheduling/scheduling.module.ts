import {
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../clock';
import { CommandExecutor } from '../commands/command-executor';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { JobScheduler } from './job-scheduler';

/**
 * The one scheduler. Capabilities declare their jobs when their module starts (a job whose setting
 * is off is simply not declared); it ticks once the app is up, and stops, letting a run in progress
 * finish and be recorded, before the database closes.
 */
@Global()
@Module({
  providers: [
    {
      provide: JobScheduler,
      inject: [SqliteEventStore, CommandExecutor, CLOCK],
      useFactory: (store: SqliteEventStore, executor: CommandExecutor, clock: Clock) =>
        new JobScheduler(store, executor, clock),
    },
  ],
  exports: [JobScheduler],
})
export class SchedulingModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(JobScheduler) private readonly scheduler: JobScheduler) {}

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }
}
