import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Core, CORE } from '../../core';
import { SecurityCheckRegistry } from '../security/security-checks';
import { backupFreshness } from './backup-freshness';
import { BackupScheduler } from './backup.scheduler';
import { BackupService } from './backup.service';
import { BackupsController } from './backups.controller';

/** Backups: taking, verifying, listing, downloading and pruning them, the policy and the nightly job. */
@Module({
  controllers: [BackupsController],
  providers: [
    {
      provide: BackupService,
      inject: [CORE, APP_CONFIG],
      useFactory: (core: Core, config: AppConfig) =>
        new BackupService(core, { dir: config.backupDir }),
    },
    BackupScheduler,
  ],
  exports: [BackupService],
})
export class BackupsModule implements OnModuleInit {
  constructor(
    @Inject(CORE) private readonly core: Core,
    private readonly security: SecurityCheckRegistry,
  ) {}

  onModuleInit(): void {
    this.security.register('backups', (ctx) => {
      const f = backupFreshness(this.core.backupCommands.repo, ctx.now);
      return { id: 'backups', status: f.status, message: f.message };
    });
  }
}
