import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { ProcessorRunner } from '../../infrastructure/processing/processor-runner';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import {
  FundraisingCommands,
  FundraisingRepository,
  FundraisingStoreModule,
} from '../fundraising/index';
import { AutomationCommands } from './automation.commands';
import { AutomationPreview } from './automation-preview';
import { AutomationProcessor } from './automation.processor';
import { AutomationsController } from './automations.controller';
import { AutomationsProjector } from './automations.projector';
import { AutomationsRepository } from './automations.repository';
import { MembershipsController } from './memberships.controller';

/** Automation rules, their runs (a processor after commit) and list memberships. */
@Module({
  imports: [FundraisingStoreModule],
  controllers: [AutomationsController, MembershipsController],
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
    {
      provide: AutomationPreview,
      inject: [AutomationCommands, FundraisingRepository, CLOCK],
      useFactory: (c: AutomationCommands, base: FundraisingRepository, clock: Clock) =>
        new AutomationPreview(c, base, clock),
    },
  ],
  exports: [AutomationCommands],
})
export class AutomationsModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly processors: ProcessorRunner,
    private readonly executor: CommandExecutor,
    private readonly store: SqliteEventStore,
    private readonly commands: AutomationCommands,
    private readonly fundraising: FundraisingCommands,
    private readonly base: FundraisingRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.projections.register(new AutomationsProjector(this.commands.repo));
    this.processors.register(
      new AutomationProcessor(
        this.executor,
        this.store,
        this.commands,
        this.fundraising,
        this.base,
        this.clock,
      ),
    );
  }
}
