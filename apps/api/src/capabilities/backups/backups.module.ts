import { Inject, Module, type OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SecurityCheckRegistry } from '../security';
import { backupFreshness } from './backup-freshness';
import { BackupScheduler } from './backup.scheduler';
import { BackupService } from './backup.service';
import { BackupsController } from './backups.controller';
import { BackupCommands } from './backup.commands';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { type DatabaseUpgrade, SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { DATABASE_UPGRADE } from '../../infrastructure/infrastructure.module';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
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
export class BackupsModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly backupCommands: BackupCommands,
    private readonly security: SecurityCheckRegistry,
    @Inject(DATABASE_UPGRADE) private readonly upgrade: DatabaseUpgrade,
  ) {}

  /** The backup taken before this start's upgrade enters the catalogue, with its verification. */
  async onApplicationBootstrap(): Promise<void> {
    const backup = this.upgrade.backup;
    if (!backup || this.backupCommands.repo.entry(backup.manifest.id)) return;
    const meta = { actor: SYSTEM_ACTOR, source: 'system' as const };
    await this.backupCommands.recordBackup(backup.manifest, 'pre_upgrade', meta);
    await this.backupCommands.recordVerification(backup.manifest.id, backup.checks, 'verify', meta);
  }

  onModuleInit(): void {
    this.security.register('backups', (ctx) => {
      const f = backupFreshness(this.backupCommands.repo, ctx.now);
      return { id: 'backups', status: f.status, message: f.message };
    });
  }
}
