import { Module, type OnModuleInit } from '@nestjs/common';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { FundraisingRepository, FundraisingStoreModule } from '../fundraising';
import { SearchProjector } from './search.projector';
import { SearchRepository } from './search.repository';

/** The search index's write side: its projector, after the grid's (it reads the grid's schema). */
@Module({
  imports: [FundraisingStoreModule],
  providers: [
    {
      provide: SearchRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new SearchRepository(db),
    },
  ],
  exports: [SearchRepository],
})
export class SearchStoreModule implements OnModuleInit {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly grid: FundraisingRepository,
    private readonly index: SearchRepository,
  ) {}

  onModuleInit(): void {
    this.runner.register(new SearchProjector(this.grid, this.index));
  }
}
