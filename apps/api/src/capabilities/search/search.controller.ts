import { Controller, Get, Query } from '@nestjs/common';
import { invalid } from '@crm/domain';
import type { SearchResponse } from '@crm/contracts';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { Roles } from '../auth/index';
import { FundraisingRepository } from '../fundraising';
import { SearchIndexer } from './search.indexer';
import { searchInputOf, SearchQuery } from './search.query';

/** How long a search waits for the index to reach what was committed before it (a large import may take longer). */
const CATCH_UP_MS = 1_000;

/** `GET /api/search`: find a record by part of its name, email, URL, notes or a choice. */
@Controller('search')
@Roles('member', 'admin')
export class SearchController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly query: SearchQuery,
    private readonly grid: FundraisingRepository,
    private readonly indexer: SearchIndexer,
    private readonly store: SqliteEventStore,
  ) {}

  @Get()
  async search(
    @Query('q') q?: unknown,
    @Query('tables') tables?: unknown,
    @Query('archived') archived?: unknown,
    @Query('limit') limit?: unknown,
  ): Promise<SearchResponse> {
    const input = searchInputOf({ q, tables, archived, limit });
    const unknown = input.tables?.find((t) => !this.grid.table(t));
    if (unknown)
      throw invalid(`table ${unknown} does not exist`, { field: 'tables', table_id: unknown });
    // What was written before the search is found by it: a record just added, a name just changed.
    await this.indexer.reached(this.store.lastPosition(), CATCH_UP_MS);
    return this.uow.read(() => this.query.search(input));
  }
}
