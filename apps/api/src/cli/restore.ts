import 'reflect-metadata';
import { resolve } from 'node:path';
import { DatabaseInUseError, restoreFromBackup } from '../capabilities/backups/disaster-restore';
import { ConfigError, loadConfig } from '../config/app-config';

const USAGE =
  'usage: npm run restore -- --from <backup.sqlite> [--manifest <backup.manifest.json>]';

/**
 * `npm run restore -- --from <file>`: disaster recovery when the live database is lost or damaged.
 * Verifies the backup, moves the current files aside into CRM_DATA_DIR/replaced-<time>/ and puts the
 * backup in place; the server then starts from it. Exit codes: 0 restored, 1 usage or settings,
 * 2 the backup failed verification, 3 the database is in use.
 */
async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = arg('--from');
  if (!from) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const manifest = arg('--manifest');
    const result = await restoreFromBackup({
      from: resolve(from),
      manifest: manifest ? resolve(manifest) : undefined,
      databaseFile: config.databaseFile,
      log,
    });
    return result.restored ? 0 : 2;
  } catch (e) {
    if (e instanceof DatabaseInUseError) {
      process.stderr.write(`${e.message}\n`);
      return 3;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`restore failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
