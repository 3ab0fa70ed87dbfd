/** What other capabilities may use of backups. */
export { BackupsStoreModule } from './backups-store.module';
export { BackupsRepository } from './backups.repository';
export { BackupCommands, type BackupMeta } from './backup.commands';
export { BackupService } from './backup.service';
export { backupFreshness } from './backup-freshness';
export { BackupsModule } from './backups.module';
export { takePreUpgradeBackup } from './pre-upgrade-backup';
