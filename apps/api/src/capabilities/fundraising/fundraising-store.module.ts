import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import {
  decideAddLinkInverses,
  decideSyncLinkInverses,
  decideComputeBase,
  decideCreateTable,
  decideSaveView,
  defaultFundraisingBase,
  unmappedCurrencySymbols,
} from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { STORE_OPTIONS, type StoreOptions } from '../../infrastructure/infrastructure.module';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import { SYSTEM_ACTOR } from '../../infrastructure/request-context/actor';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { computeBaseIds, upgradeComputedBase } from './compute-base.upgrade';
import { upgradeFundCurrencies } from './fund-currencies.upgrade';
import { type CommandMeta, FundraisingCommands } from './fundraising.commands';
import { FundraisingRepository } from './fundraising.repository';
import { FormulaBacklog } from './projectors/formula-backlog';
import { GridProjector } from './projectors/grid.projector';
import { RelationalProjector } from './projectors/relational.projector';
import { ViewsProjector } from './projectors/views.projector';

/**
 * The fundraising base's write side: its tables (through the repository), its commands and its
 * read models. No HTTP: the command-line tools and the benchmark open it without the web layer.
 */
@Module({
  providers: [
    {
      provide: FundraisingRepository,
      inject: [SQLITE, UnitOfWork],
      useFactory: (db: Sqlite, uow: UnitOfWork) => {
        const repo = new FundraisingRepository(db);
        // The schema cache holds what a rolled-back command wrote: drop it with the rollback.
        uow.onRollback(() => repo.invalidateSchema());
        return repo;
      },
    },
    {
      provide: FormulaBacklog,
      inject: [FundraisingRepository, UnitOfWork],
      useFactory: (repo: FundraisingRepository, uow: UnitOfWork) => {
        const backlog = new FormulaBacklog(repo);
        // Which tables have a recompute under way is remembered, and the linked cells rollups read
        // are held in memory as written: forget both with a rollback.
        uow.onRollback(() => {
          backlog.reset();
          backlog.formulas.columns.reset();
        });
        return backlog;
      },
    },
    {
      provide: FundraisingCommands,
      inject: [CommandExecutor, FundraisingRepository],
      useFactory: (executor: CommandExecutor, repo: FundraisingRepository) =>
        new FundraisingCommands(executor, repo),
    },
  ],
  exports: [FundraisingRepository, FundraisingCommands, FormulaBacklog],
})
export class FundraisingStoreModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly repo: FundraisingRepository,
    private readonly commands: FundraisingCommands,
    private readonly backlog: FormulaBacklog,
    private readonly store: SqliteEventStore,
    @Inject(SQLITE) private readonly db: Sqlite,
    @Inject(STORE_OPTIONS) private readonly options: StoreOptions,
  ) {}

  onModuleInit(): void {
    this.runner.register(new GridProjector(this.repo, this.backlog));
    this.runner.register(new RelationalProjector(this.repo));
    this.runner.register(new ViewsProjector(this.db));
  }

  /** After the read models caught up (the infrastructure starts first). */
  async onApplicationBootstrap(): Promise<void> {
    if (this.options.seed !== false) await seedDefaultBase(this.commands, this.repo);
    await addLinkInverses(this.commands, this.repo);
    // Tools opening the store without seeding (a rebuild, a backup's verification) leave it as it is.
    if (this.options.seed !== false) {
      await upgradeComputedBase(this.commands, this.repo, this.store);
      await upgradeFundCurrencies(this.commands, this.repo, this.store);
    }
    reportUnmappedSymbols(this.repo.tables());
  }
}

/**
 * Money fields made with a symbol that stands for no one currency keep showing it as typed; the log
 * names them at each start, so that someone picks their ISO code in the field's settings.
 */
function reportUnmappedSymbols(tables: Parameters<typeof unmappedCurrencySymbols>[0]): void {
  const unmapped = unmappedCurrencySymbols(tables);
  if (!unmapped.length) return;
  new Logger('Currencies').warn(
    `${unmapped.length} money field(s) name a symbol that stands for no one currency; choose its currency in the field's settings: ${unmapped
      .map((u) => `${u.table}.${u.field} (${JSON.stringify(u.symbol)})`)
      .join('; ')}`,
  );
}

/**
 * Links made before they had two sides get their inverse field, filled from the links there, as one
 * batch of events (source = system). A fresh default base gets its inverses this way too, at once.
 */
export function addLinkInverses(
  commands: FundraisingCommands,
  repo: FundraisingRepository,
  meta: CommandMeta = { actor: SYSTEM_ACTOR, source: 'system', correlation_id: newId('cor') },
): Promise<boolean> {
  return commands.executeAll(meta, async () => {
    const inverse_ids: Record<string, string> = {};
    for (const t of repo.tables())
      for (const f of t.fields)
        if (f.type === 'link' && !('inverse_field_id' in f.options))
          inverse_ids[f.id] = newId('fld');
    if (Object.keys(inverse_ids).length === 0) return false;
    await commands.decide(meta, (ctx) => decideAddLinkInverses({ inverse_ids }, ctx));
    // The computed fields read the links' other sides: added once those are there.
    await commands.decide(meta, (ctx) => decideComputeBase(computeBaseIds(), ctx));
    return true;
  });
}

/**
 * After writes that set one side of links only (an import's rows): the other side of this table's
 * two-way links is brought in line, under the writer's correlation, so that undoing the import
 * undoes this too. (A link field the import adds gets its other side from the start-up upgrade.)
 */
export async function syncLinkSides(
  commands: FundraisingCommands,
  tableId: string,
  meta: CommandMeta,
): Promise<void> {
  await commands.decide(meta, (ctx) => decideSyncLinkInverses({ table_ids: [tableId] }, ctx));
}

/** On first start the base gets the fund's four tables and a default grid view of each, as one batch. */
export function seedDefaultBase(
  commands: FundraisingCommands,
  repo: FundraisingRepository,
): Promise<boolean> {
  const meta = { actor: SYSTEM_ACTOR, source: 'system' as const, correlation_id: newId('cor') };
  return commands.executeAll(meta, async () => {
    if (repo.tables().length > 0) return false;
    const base = defaultFundraisingBase((prefix) => newId(prefix));
    for (const t of base.tables) await commands.decide(meta, (ctx) => decideCreateTable(t, ctx));
    for (const v of base.views) await commands.decide(meta, (ctx) => decideSaveView(v, ctx));
    const inverse_ids: Record<string, string> = {};
    for (const t of base.tables)
      for (const f of t.fields) if (f.type === 'link') inverse_ids[f.id] = newId('fld');
    await commands.decide(meta, (ctx) => decideAddLinkInverses({ inverse_ids }, ctx));
    // The computed fields read the links' other sides: added once those are there.
    await commands.decide(meta, (ctx) => decideComputeBase(computeBaseIds(), ctx));
    return true;
  });
}
