import { Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { shippedRules } from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { STORE_OPTIONS, type StoreOptions } from '../../infrastructure/infrastructure.module';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { FundraisingRepository, FundraisingStoreModule } from '../fundraising/index';
import { AutomationCommands } from './automation.commands';
import { AutomationsProjector } from './automations.projector';
import { AutomationsRepository } from './automations.repository';

/**
 * The rules, the run log and the lists' read model; the server, the rebuild and a backup's replay
 * share it, so each of them rebuilds these tables from the log like every other read model. A new
 * install also gets the shipped rules here, switched off.
 */
@Module({
  imports: [FundraisingStoreModule],
  providers: [
    {
      provide: AutomationsRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new AutomationsRepository(db),
    },
    {
      provide: AutomationCommands,
      inject: [CommandExecutor, AutomationsRepository, FundraisingRepository],
      useFactory: (e: CommandExecutor, repo: AutomationsRepository, base: FundraisingRepository) =>
        new AutomationCommands(e, repo, base),
    },
  ],
  exports: [AutomationsRepository, AutomationCommands],
})
export class AutomationsStoreModule implements OnModuleInit, OnApplicationBootstrap {
  /** Whether the log was empty when this start opened it: a new install, not an upgrade. */
  private newInstall = false;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: AutomationsRepository,
    private readonly commands: AutomationCommands,
    private readonly base: FundraisingRepository,
    private readonly store: SqliteEventStore,
    @Inject(STORE_OPTIONS) private readonly options: StoreOptions,
  ) {}

  onModuleInit(): void {
    this.runner.register(new AutomationsProjector(this.repo));
    this.newInstall = this.store.lastPosition() === 0;
  }

  /** After the default base is seeded (the fundraising store starts first: this module imports it). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.newInstall || this.options.seed === false) return;
    this.newInstall = false;
    await seedShippedRules(this.commands, this.base);
  }
}

/** The shipped rules, off, through the ordinary create-rule command: versioned and in the history. */
export async function seedShippedRules(
  commands: AutomationCommands,
  base: FundraisingRepository,
): Promise<void> {
  const meta = { actor: SYSTEM_ACTOR, source: 'system' as const, correlation_id: newId('cor') };
  for (const rule of shippedRules(base.tables())) await commands.create(rule, meta);
}
