import { Module } from '@nestjs/common';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { FundraisingRepository, FundraisingStoreModule } from '../fundraising';
import { SearchController } from './search.controller';
import { SearchIndexer } from './search.indexer';
import { SearchProjector } from './search.projector';
import { SearchQuery } from './search.query';
import { SearchRepository } from './search.repository';

/** Search: the index kept after commit (its indexer), and GET /api/search over it. */
@Module({
  imports: [FundraisingStoreModule],
  controllers: [SearchController],
  providers: [
    {
      provide: SearchRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new SearchRepository(db),
    },
    {
      provide: SearchProjector,
      inject: [FundraisingRepository, SearchRepository],
      useFactory: (grid: FundraisingRepository, index: SearchRepository) =>
        new SearchProjector(grid, index),
    },
    SearchIndexer,
    {
      provide: SearchQuery,
      inject: [SearchRepository, FundraisingRepository],
      useFactory: (index: SearchRepository, grid: FundraisingRepository) =>
        new SearchQuery(index, (id) => grid.table(id)?.name ?? ''),
    },
  ],
  exports: [SearchIndexer],
})
export class SearchModule {}
