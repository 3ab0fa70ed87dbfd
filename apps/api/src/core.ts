import { defaultFundraisingBase, decideCreateTable, decideSaveView } from '@crm/domain';
import { type DataSource } from 'typeorm';
import { BackupCommands } from './capabilities/backups/backup.commands';
import { BackupsProjector } from './capabilities/backups/backups.projector';
import { BackupsRepository } from './capabilities/backups/backups.repository';
import { FundraisingCommands } from './capabilities/fundraising/fundraising.commands';
import { FundraisingRepository } from './capabilities/fundraising/fundraising.repository';
import { GridProjector } from './capabilities/fundraising/projectors/grid.projector';
import { RelationalProjector } from './capabilities/fundraising/projectors/relational.projector';
import { ViewsProjector } from './capabilities/fundraising/projectors/views.projector';
import { AccountCommands } from './capabilities/users/account.commands';
import { UsersProjector } from './capabilities/users/users.projector';
import { UsersRepository } from './capabilities/users/users.repository';
import { type Clock, newId, systemClock } from './infrastructure/clock';
import { openDatabase, type Sqlite } from './infrastructure/database/database';
import { UnitOfWork } from './infrastructure/database/unit-of-work';
import { CommandExecutor } from './infrastructure/commands/command-executor';
import { IdempotencyRepository } from './infrastructure/commands/idempotency.repository';
import { SqliteEventStore } from './infrastructure/event-store/sqlite-event-store';
import { ProjectionRunner } from './infrastructure/projections/projection-runner';
import { SYSTEM_ACTOR } from './infrastructure/request-context/actor';

export const CORE = Symbol('CORE');

/** The composition root of the write and read sides; Nest, the CLI and the benchmark all open it. */
export interface Core {
  dataSource: DataSource;
  db: Sqlite;
  store: SqliteEventStore;
  repo: FundraisingRepository;
  runner: ProjectionRunner;
  uow: UnitOfWork;
  executor: CommandExecutor;
  commands: FundraisingCommands;
  users: UsersRepository;
  accounts: AccountCommands;
  backupCommands: BackupCommands;
  clock: Clock;
  close(): Promise<void>;
}

/** `serving`: once open, a taken write lock is waited for without stopping the event loop (see UnitOfWork). */
export async function openCore(options: {
  databaseFile: string;
  busyTimeoutMs?: number;
  clock?: Clock;
  seed?: boolean;
  serving?: boolean;
}): Promise<Core> {
  const { dataSource, db } = await openDatabase(options.databaseFile, options.busyTimeoutMs);
  const clock = options.clock ?? systemClock;
  const store = new SqliteEventStore(db);
  const repo = new FundraisingRepository(db);
  const users = new UsersRepository(db);
  const backups = new BackupsRepository(db);
  const runner = new ProjectionRunner(db, store, [
    new GridProjector(repo),
    new RelationalProjector(repo),
    new ViewsProjector(db),
    new UsersProjector(users),
    new BackupsProjector(backups),
  ]);
  const uow = new UnitOfWork(db, options.busyTimeoutMs);
  uow.onRollback(() => repo.invalidateSchema());
  const executor = new CommandExecutor(uow, store, new IdempotencyRepository(db), clock);
  const commands = new FundraisingCommands(executor, repo);
  const accounts = new AccountCommands(executor, users);
  const backupCommands = new BackupCommands(executor, backups);
  runner.catchUp();
  if (options.seed !== false) seedDefaultBase(uow, commands, repo);
  if (options.serving) uow.waitForLocksAsynchronously();
  return {
    dataSource,
    db,
    store,
    repo,
    runner,
    uow,
    executor,
    commands,
    users,
    accounts,
    backupCommands,
    clock,
    close: async () => {
      uow.flush();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** On first start the base gets the fund's four tables and a default grid view of each, as one batch. */
export function seedDefaultBase(
  uow: UnitOfWork,
  commands: FundraisingCommands,
  repo: FundraisingRepository,
): boolean {
  return uow.run(() => {
    if (repo.tables().length > 0) return false;
    const base = defaultFundraisingBase((prefix) => newId(prefix));
    const meta = { actor: SYSTEM_ACTOR, source: 'system' as const, correlation_id: newId('cor') };
    for (const t of base.tables) commands.execute(meta, (ctx) => decideCreateTable(t, ctx));
    for (const v of base.views) commands.execute(meta, (ctx) => decideSaveView(v, ctx));
    return true;
  });
}
