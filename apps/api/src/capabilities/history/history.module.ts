import { Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Core, CORE } from '../../core';
import { BackupsModule } from '../backups/backups.module';
import { HistoryController } from './history.controller';
import { createHistory, History, HISTORY } from './history.providers';

@Module({
  imports: [BackupsModule],
  controllers: [HistoryController],
  providers: [
    { provide: HISTORY, inject: [CORE], useFactory: (core: Core) => createHistory(core) },
  ],
  exports: [HISTORY],
})
export class HistoryModule implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private readonly logger = new Logger('History');

  constructor(
    @Inject(HISTORY) private readonly history: History,
    @Inject(CORE) private readonly core: Core,
  ) {}

  /** Snapshots are taken in the background when the log has grown by `every` events since the last one. */
  onModuleInit(): void {
    this.timer = setInterval(() => void this.snapshot(), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The build runs in a worker thread: the server keeps answering while it takes its second or so. */
  private async snapshot(): Promise<void> {
    try {
      const at = await this.history.snapshots.maybeSnapshotInBackground(this.core.clock.now());
      if (at !== null) this.logger.log(`snapshot of the base at position ${at}`);
    } catch (e) {
      this.logger.warn(`snapshot failed: ${(e as Error).message}`);
    }
  }
}
