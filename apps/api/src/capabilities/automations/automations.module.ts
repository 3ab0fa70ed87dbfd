import { Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { ProcessorRunner } from '../../infrastructure/processing/processor-runner';
import {
  FundraisingCommands,
  FundraisingRepository,
  FundraisingStoreModule,
} from '../fundraising/index';
import { AutomationCommands } from './automation.commands';
import { AutomationPreview } from './automation-preview';
import { AutomationProcessor } from './automation.processor';
import { AutomationRunner } from './automation-runner';
import { AutomationRollback } from './automation-rollback';
import { AutomationSchedules } from './automation-schedules';
import { ScheduleSync } from './schedule-sync';
import { JobScheduler } from '../../infrastructure/scheduling/job-scheduler';
import { AutomationsController } from './automations.controller';
import { AutomationsStoreModule } from './automations-store.module';
import { MembershipsController } from './memberships.controller';

/** Automation rules, their runs (a processor after commit) and list memberships. */
@Module({
  imports: [FundraisingStoreModule, AutomationsStoreModule],
  controllers: [AutomationsController, MembershipsController],
  providers: [
    ScheduleSync,
    {
      provide: AutomationRollback,
      inject: [
        CommandExecutor,
        SqliteEventStore,
        AutomationCommands,
        FundraisingCommands,
        FundraisingRepository,
      ],
      useFactory: (
        e: CommandExecutor,
        store: SqliteEventStore,
        c: AutomationCommands,
        f: FundraisingCommands,
        base: FundraisingRepository,
      ) => new AutomationRollback(e, store, c, f, base),
    },
    {
      provide: AutomationPreview,
      inject: [AutomationCommands, FundraisingRepository, CLOCK, SqliteEventStore],
      useFactory: (
        c: AutomationCommands,
        base: FundraisingRepository,
        clock: Clock,
        store: SqliteEventStore,
      ) => new AutomationPreview(c, base, clock, store),
    },
  ],
  exports: [AutomationsStoreModule],
})
export class AutomationsModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly processors: ProcessorRunner,
    private readonly executor: CommandExecutor,
    private readonly store: SqliteEventStore,
    private readonly commands: AutomationCommands,
    private readonly fundraising: FundraisingCommands,
    private readonly base: FundraisingRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly scheduler: JobScheduler,
    private readonly schedules: ScheduleSync,
  ) {}

  onModuleInit(): void {
    const runner = new AutomationRunner(this.executor, this.store, this.commands, this.fundraising);
    this.processors.register(new AutomationProcessor(runner, this.commands, this.base, this.clock));
    this.schedules.attach(
      new AutomationSchedules(this.scheduler, runner, this.commands, this.base, this.clock),
    );
  }

  /** Rules with a schedule written before this start get their jobs once the read models are in. */
  onApplicationBootstrap(): void {
    this.schedules.sync();
  }
}
