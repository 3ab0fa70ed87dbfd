import { Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { CommandExecutor } from '../../infrastructure/commands/command-executor';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { ProcessorRunner } from '../../infrastructure/processing/processor-runner';
import { JobScheduler } from '../../infrastructure/scheduling/job-scheduler';
import {
  FundraisingCommands,
  FundraisingRepository,
  FundraisingStoreModule,
} from '../fundraising/index';
import { FollowUpController } from './follow-up.controller';
import { FollowUpFactsReader } from './follow-up-facts';
import { FollowUpRefresh } from './follow-up-refresh';
import { FollowUpUndo } from './follow-up-undo';
import { FOLLOW_UP_DAY_JOB, FollowUpFieldsProcessor } from './follow-up-fields.processor';
import { upgradeFollowUpFields } from './follow-up-fields.upgrade';
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
      provide: FollowUpFactsReader,
      inject: [RemindersRepository],
      useFactory: (repo: RemindersRepository) => new FollowUpFactsReader(repo),
    },
    {
      provide: FollowUpRefresh,
      inject: [RemindersRepository, FundraisingRepository, FollowUpFactsReader],
      useFactory: (
        repo: RemindersRepository,
        base: FundraisingRepository,
        f: FollowUpFactsReader,
      ) => new FollowUpRefresh(repo, base, f),
    },
    {
      provide: ReminderCommands,
      inject: [CommandExecutor, RemindersRepository, FundraisingRepository, CLOCK, FollowUpRefresh],
      useFactory: (
        e: CommandExecutor,
        repo: RemindersRepository,
        base: FundraisingRepository,
        clock: Clock,
        followUp: FollowUpRefresh,
      ) => new ReminderCommands(e, repo, base, clock, followUp),
    },
    {
      provide: InteractionCommands,
      inject: [ReminderCommands, FundraisingCommands],
      useFactory: (r: ReminderCommands, f: FundraisingCommands) => new InteractionCommands(r, f),
    },
    {
      provide: FollowUpUndo,
      inject: [ReminderCommands, FundraisingCommands],
      useFactory: (r: ReminderCommands, f: FundraisingCommands) => new FollowUpUndo(r, f),
    },
    {
      provide: RemindersQueries,
      inject: [RemindersRepository, FundraisingRepository, CLOCK],
      useFactory: (repo: RemindersRepository, base: FundraisingRepository, clock: Clock) =>
        new RemindersQueries(repo, base, clock),
    },
  ],
  exports: [ReminderCommands, FollowUpUndo],
})
export class RemindersModule implements OnModuleInit, OnApplicationBootstrap {
  private typedContactSeen: { at: number; any: boolean } | null = null;

  constructor(
    private readonly processors: ProcessorRunner,
    private readonly commands: ReminderCommands,
    private readonly fundraising: FundraisingCommands,
    private readonly facts: FollowUpFactsReader,
    private readonly scheduler: JobScheduler,
    private readonly store: SqliteEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.processors.register(new ReminderUpkeepProcessor(this.commands, this.store));
    const { repo } = this.commands;
    this.processors.register(
      new FollowUpFieldsProcessor(repo, this.facts, this.commands.followUp!, this.clock),
    );
    // The fund's day starting: its run (an event) is what moves the follow-up values on a day.
    this.scheduler.declare({
      name: FOLLOW_UP_DAY_JOB,
      schedule: () => ({
        rule: { every: 'day', at: '00:00' },
        zone: repo.settings().settings.time_zone,
      }),
      // Nothing to move on a base with no follow-up yet (nothing logged, planned or typed as a
      // last contact): no run, and no event, is recorded.
      satisfied: (scheduledFor) => !this.facts.anyFacts() && !this.anyTypedContactFor(scheduledFor),
      run: () => Promise.resolve({ result: null }),
    });
  }

  /** Whether any record has a typed last contact, looked for once per run due (a table scan). */
  private anyTypedContactFor(scheduledFor: number): boolean {
    if (this.typedContactSeen?.at !== scheduledFor)
      this.typedContactSeen = { at: scheduledFor, any: this.commands.followUp!.anyTypedContact() };
    return this.typedContactSeen.any;
  }

  /** After the base is seeded (the fundraising store starts first). */
  async onApplicationBootstrap(): Promise<void> {
    await upgradeFollowUpFields(this.fundraising, this.commands.base, this.store);
  }
}
