import { Module } from '@nestjs/common';
import { FundraisingRepository, FundraisingStoreModule } from '../fundraising';
import { SearchController } from './search.controller';
import { SearchQuery } from './search.query';
import { SearchRepository } from './search.repository';
import { SearchStoreModule } from './search-store.module';

@Module({
  imports: [SearchStoreModule, FundraisingStoreModule],
  controllers: [SearchController],
  providers: [
    {
      provide: SearchQuery,
      inject: [SearchRepository, FundraisingRepository],
      useFactory: (index: SearchRepository, grid: FundraisingRepository) =>
        new SearchQuery(index, (id) => grid.table(id)?.name ?? ''),
    },
  ],
})
export class SearchModule {}
