import type { Server } from 'node:http';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AccountsService, SETUP_TOKEN_TTL_HOURS } from './capabilities/users/accounts.service';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config';
import { assertWritableDir, isDiskRefusal, unusableDir } from './infrastructure/database/data-dir';
import { StartupError } from './infrastructure/startup-error';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = await openApp(config);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  // Longer than a reverse proxy's idle timeout, so a reused connection is never cut mid-request.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const url =
    config.publicUrl ??
    `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  new Logger('Venture CRM').log(`listening on ${url} (data in ${config.dataDir})`);
  await printSetupLink(app.get(AccountsService), url);
}

/**
 * The app on a data directory it can write. What the operator must fix (a read-only or full volume, a
 * failed upgrade) ends the process with the path and the reason, not a stack trace.
 */
async function openApp(config: AppConfig): ReturnType<typeof createApp> {
  try {
    assertWritableDir(config.dataDir);
    return await createApp(config);
  } catch (e) {
    const problem = isDiskRefusal(e) ? unusableDir(config.dataDir, 'data directory', e) : e;
    if (!(problem instanceof StartupError)) throw e;
    process.stderr.write(`cannot start: ${problem.message}\n`);
    process.exit(1);
  }
}

/** With no account and no CRM_ADMIN_EMAIL/PASSWORD, the first admin is made through a one-time link. */
async function printSetupLink(accounts: AccountsService, baseUrl: string): Promise<void> {
  const setup = await accounts.issueSetupToken();
  if (!setup) return;
  const link = `${baseUrl.replace(/\/+$/, '')}/setup?token=${setup.token}`;
  process.stdout.write(
    [
      '',
      '  ================================================================',
      '  No account exists yet. Open this one-time link to create the',
      '  FIRST ADMIN account of this CRM:',
      '',
      `    ${link}`,
      '',
      `  It works once, for ${SETUP_TOKEN_TTL_HOURS} hours; restarting the server prints a new`,
      '  one and the old link stops working. Anyone with the link can',
      '  become admin: do not share it.',
      '  ================================================================',
      '',
      '',
    ].join('\n'),
  );
}

main().catch((e) => {
  process.stderr.write(`failed to start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
