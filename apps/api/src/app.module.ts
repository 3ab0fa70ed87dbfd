import { type DynamicModule, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AuthModule } from './capabilities/auth/auth.module';
import { AutomationsModule } from './capabilities/automations/automations.module';
import { BackupsModule } from './capabilities/backups/backups.module';
import { DashboardModule } from './capabilities/dashboard/dashboard.module';
import { FundraisingModule } from './capabilities/fundraising/fundraising.module';
import { HealthModule } from './capabilities/health/health.module';
import { HistoryModule } from './capabilities/history/history.module';
import { ImportsModule } from './capabilities/imports/imports.module';
import { ProcessorsModule } from './capabilities/processors/processors.module';
import { SearchModule } from './capabilities/search/search.module';
import { SecurityModule } from './capabilities/security/security.module';
import { UsersModule } from './capabilities/users/users.module';
import { WebConfigModule } from './capabilities/web-config/web-config.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { UnitOfWork } from './infrastructure/database/unit-of-work';
import { WalCheckpointer } from './infrastructure/database/wal-checkpointer';
import { ProcessingModule } from './infrastructure/processing/processing.module';
import { SchedulingModule } from './infrastructure/scheduling/scheduling.module';

/** The composition root: configuration, the write side's machinery, and every capability. */
@Module({})
export class AppModule implements OnApplicationBootstrap {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly checkpointer: WalCheckpointer,
  ) {}

  /**
   * The root starts last: once the base is caught up and seeded, a write that finds another
   * process's lock waits without holding up the event loop (see UnitOfWork), and the WAL is
   * checkpointed by a thread of its own (see WalCheckpointer).
   */
  onApplicationBootstrap(): void {
    this.uow.waitForLocksAsynchronously();
    this.checkpointer.start();
  }

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        InfrastructureModule.forRoot({
          databaseFile: config.databaseFile,
          busyTimeoutMs: config.busyTimeoutMs,
        }),
        ProcessingModule,
        SchedulingModule,
        AuthModule,
        UsersModule,
        SecurityModule,
        HealthModule,
        FundraisingModule,
        SearchModule,
        HistoryModule,
        BackupsModule,
        ImportsModule,
        WebConfigModule,
        ProcessorsModule,
        AutomationsModule,
        DashboardModule,
      ],
    };
  }
}
