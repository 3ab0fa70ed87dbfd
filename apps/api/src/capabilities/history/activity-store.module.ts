import { Module, type OnModuleInit } from '@nestjs/common';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { ActivityBatchesProjector } from './activity-batches.projector';
import { ActivityBatchesRepository } from './activity-batches.repository';

/** The activity feed's read model (batch summaries); the server, the tools and the rebuild share it. */
@Module({
  providers: [
    {
      provide: ActivityBatchesRepository,
      inject: [SQLITE, SqliteEventStore],
      useFactory: (db: Sqlite, store: SqliteEventStore) => new ActivityBatchesRepository(db, store),
    },
  ],
  exports: [ActivityBatchesRepository],
})
export class ActivityStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: ActivityBatchesRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new ActivityBatchesProjector(this.repo));
  }
}
