import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { DashboardResult } from '@crm/contracts';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { DashboardService } from './dashboard.service';

/** GET /api/dashboard: the numbers the dashboard draws (see DashboardResult for the shape). */
@Controller('dashboard')
@Roles('member', 'admin')
export class DashboardController {
  constructor(@Inject(DashboardService) private readonly dashboard: DashboardService) {}

  @Get()
  get(
    @Query('fund_id') fund_id: string | undefined,
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Query('as_of') as_of: string | undefined,
    @Query('tz') tz: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<DashboardResult> {
    return this.dashboard.dashboard({ fund_id, from, to, as_of, tz }, actor);
  }
}
