import { Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SecurityCheckRegistry } from '../security';
import { backupFreshness } from './backup-freshness';
import { BackupScheduler } from './backup.scheduler';
import { BackupService } from './backup.service';
import { BackupsController } from './backups.controller';
import { BackupCommands } from './backup.commands';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { BackupsStoreModule } from './backups-store.module';

/** Backups: taking, verifying, listing, downloading and pruning them, the policy and the nightly job. */
@Module({
  imports: [BackupsStoreModule],
  controllers: [BackupsController],
  providers: [
    {
      provide: BackupService,
      inject: [SQLITE, CLOCK, BackupCommands, APP_CONFIG],
      useFactory: (db: Sqlite, clock: Clock, commands: BackupCommands, config: AppConfig) =>
        new BackupService(db, clock, commands, { dir: config.backupDir }),
    },
    BackupScheduler,
  ],
  exports: [BackupService],
})
export class BackupsModule implements OnModuleInit {
  constructor(
    private readonly backupCommands: BackupCommands,
    private readonly security: SecurityCheckRegistry,
  ) {}

  onModuleInit(): void {
    this.security.register('backups', (ctx) => {
      const f = backupFreshness(this.backupCommands.repo, ctx.now);
      return { id: 'backups', status: f.status, message: f.message };
    });
  }
}
