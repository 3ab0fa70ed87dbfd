import { Module } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { FundraisingRepository, FundraisingStoreModule } from '../fundraising';
import { AsOfService, HISTORY, type History, HistoryModule } from '../history/index';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** The pipeline dashboard: per-fund totals, the funnel, commitments over time, staleness, activity. */
@Module({
  imports: [FundraisingStoreModule, HistoryModule],
  controllers: [DashboardController],
  providers: [
    {
      provide: DashboardService,
      inject: [SQLITE, FundraisingRepository, UnitOfWork, CLOCK, AsOfService, HISTORY],
      useFactory: (
        db: Sqlite,
        repo: FundraisingRepository,
        uow: UnitOfWork,
        clock: Clock,
        asOf: AsOfService,
        history: History,
      ) => new DashboardService(db, repo, uow, clock, asOf, history),
    },
  ],
})
export class DashboardModule {}
