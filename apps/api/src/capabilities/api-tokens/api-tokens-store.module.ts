import { Module, type OnModuleInit } from '@nestjs/common';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { ApiTokensProjector } from './api-tokens.projector';
import { ApiTokensRepository } from './api-tokens.repository';

/** API tokens' tables and their read model; the server, the tools and the rebuild share it. */
@Module({
  providers: [
    {
      provide: ApiTokensRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new ApiTokensRepository(db),
    },
  ],
  exports: [ApiTokensRepository],
})
export class ApiTokensStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: ApiTokensRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new ApiTokensProjector(this.repo));
  }
}
