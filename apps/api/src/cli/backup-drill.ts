import 'reflect-metadata';
import { resolve } from 'node:path';
import { runBackupDrill } from '../capabilities/backups/backup-drill';
import { ConfigError, loadConfig } from '../config/app-config';

/**
 * `npm run backup:drill [-- --backup <id>] [--backup-dir <dir>] [--json]`: restores the newest backup
 * (or the one named) into a scratch directory, boots the app on it and compares readiness, event
 * count, last position and read-model hash with the manifest. Exits 0 when everything matches, 2 on
 * any difference, 1 on bad usage or settings.
 */
async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const json = argv.includes('--json');
  let backupDir = arg('--backup-dir');
  if (!backupDir) {
    try {
      backupDir = loadConfig().backupDir;
    } catch (e) {
      if (e instanceof ConfigError) {
        process.stderr.write(`${e.message}\n`);
        return 1;
      }
      throw e;
    }
  }
  const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const report = await runBackupDrill({
    backupDir: resolve(backupDir),
    backupId: arg('--backup'),
    log,
  });
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else log(report.ok ? 'drill passed' : 'drill FAILED');
  return report.ok ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`drill failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
