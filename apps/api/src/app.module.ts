import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './capabilities/auth/auth.module';
import { BackupsModule } from './capabilities/backups/backups.module';
import { FundraisingModule } from './capabilities/fundraising/fundraising.module';
import { HealthModule } from './capabilities/health/health.module';
import { HistoryModule } from './capabilities/history/history.module';
import { ImportsModule } from './capabilities/imports/imports.module';
import { ProcessorsModule } from './capabilities/processors/processors.module';
import { SecurityModule } from './capabilities/security/security.module';
import { UsersModule } from './capabilities/users/users.module';
import { WebConfigModule } from './capabilities/web-config/web-config.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CoreModule } from './core.module';
import { ProcessingModule } from './infrastructure/processing/processing.module';
import { SchedulingModule } from './infrastructure/scheduling/scheduling.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CoreModule,
        ProcessingModule,
        SchedulingModule,
        AuthModule,
        UsersModule,
        SecurityModule,
        HealthModule,
        FundraisingModule,
        HistoryModule,
        BackupsModule,
        ImportsModule,
        WebConfigModule,
        ProcessorsModule,
      ],
    };
  }
}
