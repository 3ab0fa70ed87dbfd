import { Module, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { ProcessorRunner } from '../../infrastructure/processing/processor-runner';
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
import { RemindersQueries } from './reminders.queries';
import { RemindersRepository } from './reminders.repository';
import { RemindersStoreModule } from './reminders-store.module';

/** Reminders, logged interactions and the follow-up values derived from them. */
@Module({
  imports: [FundraisingStoreModule, RemindersStoreModule],
  controllers: [RemindersController, FollowUpController],
  providers: [
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
    private readonly processors: ProcessorRunner,
    private readonly commands: ReminderCommands,
  ) {}

  onModuleInit(): void {
    this.processors.register(new ReminderUpkeepProcessor(this.commands));
  }
}
