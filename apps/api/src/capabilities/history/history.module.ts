import { Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AutomationCommands, AutomationsModule } from '../automations';
import { BackupsModule } from '../backups';
import { FundraisingCommands, FundraisingRepository, FundraisingStoreModule } from '../fundraising';
import { FollowUpUndo, RemindersModule } from '../reminders';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { ActivityStoreModule } from './activity-store.module';
import { AsOfService } from './as-of.service';
import { HistoryController } from './history.controller';
import { createHistory, History, HISTORY } from './history.providers';
import { CLOCK, type Clock } from '../../infrastructure/clock';

@Module({
  imports: [
    ActivityStoreModule,
    AutomationsModule,
    BackupsModule,
    FundraisingStoreModule,
    RemindersModule,
  ],
  controllers: [HistoryController],
  providers: [
    {
      provide: HISTORY,
      inject: [
        SQLITE,
        SqliteEventStore,
        FundraisingRepository,
        FundraisingCommands,
        AutomationCommands,
        FollowUpUndo,
        UnitOfWork,
        CLOCK,
      ],
      useFactory: (
        db: Sqlite,
        store: SqliteEventStore,
        repo: FundraisingRepository,
        commands: FundraisingCommands,
        lists: AutomationCommands,
        followUp: FollowUpUndo,
        uow: UnitOfWork,
        clock: Clock,
      ) => createHistory({ db, store, repo, commands, lists, followUp, uow, clock }),
    },
    {
      provide: AsOfService,
      inject: [HISTORY],
      useFactory: (history: History) => history.asOf,
    },
  ],
  exports: [HISTORY, AsOfService],
})
export class HistoryModule implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('History');

  constructor(
    @Inject(HISTORY) private readonly history: History,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Snapshots are taken in the background when the log has grown by `every` events since the last one. */
  onModuleInit(): void {
    this.timer = setInterval(() => void this.snapshot(), 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.history.asOf.close();
  }

  /** The build runs in a worker thread: the server keeps answering while it takes its second or so. */
  private async snapshot(): Promise<void> {
    try {
      const at = await this.history.snapshots.maybeSnapshotInBackground(this.clock.now());
      if (at !== null) this.logger.log(`snapshot of the base at position ${at}`);
    } catch (e) {
      this.logger.warn(`snapshot failed: ${(e as Error).message}`);
    }
  }
}
