import { Module, type OnModuleInit } from '@nestjs/common';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { FeatureRequestsProjector } from './feature-requests.projector';
import { FeatureRequestsRepository } from './feature-requests.repository';

/**
 * The board's read model (requests and votes); the server, the rebuild and a backup's replay share
 * it, so each of them rebuilds these tables from the log like every other read model.
 */
@Module({
  providers: [
    {
      provide: FeatureRequestsRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new FeatureRequestsRepository(db),
    },
  ],
  exports: [FeatureRequestsRepository],
})
export class FeatureRequestsStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: FeatureRequestsRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new FeatureRequestsProjector(this.repo));
  }
}
