import { Controller, Get, Query } from '@nestjs/common';
import { invalid } from '@crm/domain';
import type { SearchResponse } from '@crm/contracts';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { Roles } from '../auth/index';
import { FundraisingRepository } from '../fundraising';
import { searchInputOf, SearchQuery } from './search.query';

/** `GET /api/search`: find a record by part of its name, email, URL, notes or a choice. */
@Controller('search')
@Roles('member', 'admin')
export class SearchController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly query: SearchQuery,
    private readonly grid: FundraisingRepository,
  ) {}

  @Get()
  search(
    @Query('q') q?: unknown,
    @Query('tables') tables?: unknown,
    @Query('archived') archived?: unknown,
    @Query('limit') limit?: unknown,
  ): SearchResponse {
    const input = searchInputOf({ q, tables, archived, limit });
    const unknown = input.tables?.find((t) => !this.grid.table(t));
    if (unknown)
      throw invalid(`table ${unknown} does not exist`, { field: 'tables', table_id: unknown });
    return this.uow.read(() => this.query.search(input));
  }
}
