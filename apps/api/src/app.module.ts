import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type Logger as Pino } from 'pino';
import { ApiDocsModule } from './capabilities/api-docs/api-docs.module';
import { ApiTokensModule } from './capabilities/api-tokens/api-tokens.module';
import { AuthModule } from './capabilities/auth/auth.module';
import { AutomationsModule } from './capabilities/automations/automations.module';
import { BackupsModule, takePreUpgradeBackup } from './capabilities/backups';
import { DashboardModule } from './capabilities/dashboard/dashboard.module';
import { FeatureRequestsModule } from './capabilities/feature-requests/feature-requests.module';
import { FundraisingModule } from './capabilities/fundraising/fundraising.module';
import { HealthModule } from './capabilities/health/health.module';
import { HistoryModule } from './capabilities/history/history.module';
import { ImportsModule } from './capabilities/imports/imports.module';
import { ProcessorsModule } from './capabilities/processors/processors.module';
import { RemindersModule } from './capabilities/reminders/reminders.module';
import { SearchModule } from './capabilities/search/search.module';
import { SecurityModule } from './capabilities/security/security.module';
import { UsersModule } from './capabilities/users/users.module';
import { WebConfigModule } from './capabilities/web-config/web-config.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { systemClock } from './infrastructure/clock';
import { flushLogs } from './infrastructure/logging/root-logger';
import { UnitOfWork } from './infrastructure/database/unit-of-work';
import { WalCheckpointer } from './infrastructure/database/wal-checkpointer';
import { ProcessingModule } from './infrastructure/processing/processing.module';
import { SchedulingModule } from './infrastructure/scheduling/scheduling.module';

/** The composition root: configuration, the write side's machinery, and every capability. */
const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Module({})
export class AppModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly checkpointer: WalCheckpointer,
    @Inject(ROOT_LOGGER) private readonly logger: Pino,
  ) {}

  /** The root stops last: every line logged while the app closed is written before the process ends. */
  onApplicationShutdown(): void {
    flushLogs(this.logger);
  }

  /**
   * The root starts last: once the base is caught up and seeded, a write that finds another
   * process's lock waits without holding up the event loop (see UnitOfWork), and the WAL is
   * checkpointed by a thread of its own (see WalCheckpointer).
   */
  onApplicationBootstrap(): void {
    this.uow.waitForLocksAsynchronously();
    this.checkpointer.start();
  }

  /** `logger`: the process's pino logger, whose request logging createApp mounts first of all. */
  static forRoot(config: AppConfig, logger: Pino): DynamicModule {
    return {
      module: AppModule,
      providers: [{ provide: ROOT_LOGGER, useValue: logger }],
      imports: [
        ConfigModule.forRoot(config),
        InfrastructureModule.forRoot({
          databaseFile: config.databaseFile,
          busyTimeoutMs: config.busyTimeoutMs,
          beforeUpgrade: (db) => takePreUpgradeBackup(db, config.backupDir, systemClock.now()),
        }),
        ProcessingModule,
        SchedulingModule,
        AuthModule,
        UsersModule,
        ApiTokensModule,
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
        ApiDocsModule,
        RemindersModule,
        FeatureRequestsModule,
        DashboardModule,
      ],
    };
  }
}
