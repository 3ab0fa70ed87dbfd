import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiTokensStoreModule } from './capabilities/api-tokens/api-tokens-store.module';
import { AutomationsStoreModule } from './capabilities/automations/automations-store.module';
import { BackupsStoreModule } from './capabilities/backups/backups-store.module';
import { FundraisingStoreModule } from './capabilities/fundraising/fundraising-store.module';
import { FeatureRequestsStoreModule } from './capabilities/feature-requests/feature-requests-store.module';
import { ActivityStoreModule } from './capabilities/history/activity-store.module';
import { RemindersStoreModule } from './capabilities/reminders/reminders-store.module';
import { UsersStoreModule } from './capabilities/users/users-store.module';
import { UnitOfWork } from './infrastructure/database/unit-of-work';
import { InfrastructureModule, type StoreOptions } from './infrastructure/infrastructure.module';

/** The write side without the web layer: the log, the executor and every capability's store. */
@Module({})
export class StoreModule {
  static forRoot(options: StoreOptions): DynamicModule {
    return {
      module: StoreModule,
      imports: [
        InfrastructureModule.forRoot(options),
        FundraisingStoreModule,
        UsersStoreModule,
        BackupsStoreModule,
        ApiTokensStoreModule,
        RemindersStoreModule,
        ActivityStoreModule,
        AutomationsStoreModule,
        FeatureRequestsStoreModule,
      ],
      exports: [FundraisingStoreModule, UsersStoreModule, BackupsStoreModule],
    };
  }
}

/**
 * Opens the same module graph the server runs, without HTTP: for the command-line tools, the
 * benchmark and tests that drive commands directly. `serving`: a taken write lock is then waited
 * for asynchronously (see UnitOfWork), as in the server.
 */
export async function openStore(
  options: StoreOptions & { serving?: boolean },
): Promise<INestApplicationContext> {
  // abortOnError off: a tool or test that cannot open the store gets the error, not an exit.
  const app = await NestFactory.createApplicationContext(StoreModule.forRoot(options), {
    logger: false,
    abortOnError: false,
  });
  await app.init();
  if (options.serving) app.get(UnitOfWork).waitForLocksAsynchronously();
  return app;
}
