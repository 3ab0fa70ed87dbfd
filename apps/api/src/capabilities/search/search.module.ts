import { Module } from '@nestjs/common';
import { FundraisingStoreModule } from '../fundraising';
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
      inject: [SearchRepository],
      useFactory: (index: SearchRepository) => new SearchQuery(index),
    },
  ],
})
export class SearchModule {}
