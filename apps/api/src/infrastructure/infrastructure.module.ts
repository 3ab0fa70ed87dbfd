import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock, systemClock } from './clock';
import { CommandExecutor } from './commands/command-executor';
import { IdempotencyRepository } from './commands/idempotency.repository';
import {
  type DatabaseUpgrade,
  openDatabase,
  type OpenedDatabase,
  type OpenOptions,
  SQLITE,
  type Sqlite,
} from './database/database';
import { UnitOfWork } from './database/unit-of-work';
import { WalCheckpointer } from './database/wal-checkpointer';
import { DiskRoom } from './database/disk-room';
import { SqliteEventStore } from './event-store/sqlite-event-store';
import { ProjectionRunner } from './projections/projection-runner';

/** Where the data lives and how a process opens it. */
export interface StoreOptions {
  databaseFile: string;
  /** How long a write waits for another process's lock (CRM_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  clock?: Clock;
  /** False: an empty database stays empty (no default base); tools that open a copy use this. */
  seed?: boolean;
  /** The server's pre-upgrade backup (see openDatabase); tools opening a copy leave it out. */
  beforeUpgrade?: OpenOptions['beforeUpgrade'];
}

export const STORE_OPTIONS = Symbol('STORE_OPTIONS');
/** The DatabaseUpgrade of this start: migrations applied and the backup taken before them. */
export const DATABASE_UPGRADE = Symbol('DATABASE_UPGRADE');
const OPENED = Symbol('OPENED_DATABASE');

/**
 * The write side's machinery, shared by every capability: the SQLite file, the event store, the unit
 * of work with its group commit, the projection runner the capabilities register their read models
 * with, and the command executor every write goes through. Capabilities own their tables and SQL in
 * their own repositories; this module owns only the log, the checkpoints and the idempotency ledger.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationBootstrap, OnApplicationShutdown {
  static forRoot(options: StoreOptions): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: STORE_OPTIONS, useValue: options },
        {
          provide: OPENED,
          useFactory: () =>
            openDatabase(options.databaseFile, {
              busyTimeoutMs: options.busyTimeoutMs,
              beforeUpgrade: options.beforeUpgrade,
            }),
        },
        {
          provide: DATABASE_UPGRADE,
          inject: [OPENED],
          useFactory: (o: OpenedDatabase): DatabaseUpgrade => o.upgrade,
        },
        { provide: SQLITE, inject: [OPENED], useFactory: (o: OpenedDatabase) => o.db },
        { provide: DataSource, inject: [OPENED], useFactory: (o: OpenedDatabase) => o.dataSource },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: DiskRoom, inject: [SQLITE], useFactory: (db: Sqlite) => new DiskRoom(db) },
        {
          provide: WalCheckpointer,
          inject: [SQLITE],
          useFactory: (db: Sqlite) => new WalCheckpointer(db),
        },
        {
          provide: SqliteEventStore,
          inject: [SQLITE],
          useFactory: (db: Sqlite) => new SqliteEventStore(db),
        },
        {
          provide: UnitOfWork,
          inject: [SQLITE],
          useFactory: (db: Sqlite) => new UnitOfWork(db, options.busyTimeoutMs),
        },
        {
          provide: ProjectionRunner,
          inject: [SQLITE, SqliteEventStore],
          useFactory: (db: Sqlite, store: SqliteEventStore) => new ProjectionRunner(db, store),
        },
        {
          provide: CommandExecutor,
          inject: [UnitOfWork, SqliteEventStore, ProjectionRunner, SQLITE, CLOCK],
          useFactory: (
            uow: UnitOfWork,
            store: SqliteEventStore,
            runner: ProjectionRunner,
            db: Sqlite,
            clock: Clock,
          ) => new CommandExecutor(uow, store, runner, new IdempotencyRepository(db), clock),
        },
      ],
      exports: [
        STORE_OPTIONS,
        DATABASE_UPGRADE,
        SQLITE,
        DataSource,
        CLOCK,
        SqliteEventStore,
        UnitOfWork,
        ProjectionRunner,
        CommandExecutor,
        WalCheckpointer,
        DiskRoom,
      ],
    };
  }

  constructor(
    @Inject(OPENED) private readonly opened: OpenedDatabase,
    private readonly uow: UnitOfWork,
    private readonly runner: ProjectionRunner,
    private readonly checkpointer: WalCheckpointer,
  ) {}

  /** Global modules start first: every projector is registered (module init) and sees the log now. */
  async onApplicationBootstrap(): Promise<void> {
    await this.runner.catchUp();
  }

  /** Nothing queued is dropped: the last group commit runs before the file closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.uow.flush();
    await this.checkpointer.stop();
    if (this.opened.dataSource.isInitialized) await this.opened.dataSource.destroy();
  }
}
