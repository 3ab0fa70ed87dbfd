import { Module, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { ProcessorRunner } from '../../infrastructure/processing/processor-runner';
import { ProjectionRunner } from '../../infrastructure/projections/projection-runner';
import {
  FundraisingCommands,
  FundraisingRepository,
  FundraisingStoreModule,
} from '../fundraising/index';
import { FollowUpController } from './follow-up.controller';
import { InteractionCommands } from './interaction.commands';
import { ReminderCommands } from './reminder.commands';
import { ReminderUpkeepProcessor } from './reminder-upkeep.processor';
import { RemindersController } from './reminders.controller';
import { RemindersProjector } from './reminders.projector';
import { RemindersQueries } from './reminders.queries';
import { RemindersRepository } from './reminders.repository';

/** Reminders, logged interactions and the follow-up values derived from them. */
@Module({
  imports: [FundraisingStoreModule],
  controllers: [RemindersController, FollowUpController],
  providers: [
    {
      provide: RemindersRepository,
      inject: [SQLITE],
      useFactory: (db: Sqlite) => new RemindersRepository(db),
    },
    {
      provide: ReminderCommands,
      inject: [CommandExecutor, RemindersRepository, FundraisingRepository, CLOCK],
      useFactory: (
        e: CommandExecutor,
        repo: RemindersRepository,
        base: FundraisingRepository,
        clock: Clock,
      ) => new ReminderCommands(e, repo, base, clock),
    },
    {
      provide: InteractionCommands,
      inject: [ReminderCommands, FundraisingCommands],
      useFactory: (r: ReminderCommands, f: FundraisingCommands) => new InteractionCommands(r, f),
    },
    {
      provide: RemindersQueries,
      inject: [RemindersRepository, FundraisingRepository, CLOCK],
      useFactory: (repo: RemindersRepository, base: FundraisingRepository, clock: Clock) =>
        new RemindersQueries(repo, base, clock),
    },
  ],
  exports: [ReminderCommands],
})
export class RemindersModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionRunner,
    private readonly processors: ProcessorRunner,
    private readonly commands: ReminderCommands,
  ) {}

  onModuleInit(): void {
    this.projections.register(new RemindersProjector(this.commands.repo));
    this.processors.register(new ReminderUpkeepProcessor(this.commands));
  }
}
