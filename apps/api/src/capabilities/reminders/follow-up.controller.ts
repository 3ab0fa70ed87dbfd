import { Body, Controller, Get, Headers, Param, Patch, Post, Query } from '@nestjs/common';
import { type FollowUpSettings, invalid, notFound, readerTimeZone } from '@crm/domain';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { FollowUpSettingsDto, LogCommunicationDto } from './dto/reminders.dto';
import type { Interaction, LoggedCommunication, MyDay } from '@crm/contracts';
import { InteractionCommands } from './interaction.commands';
import { idempotencyKeyOf } from './query-params';
import { ReminderCommands } from './reminder.commands';
import { type FollowUpValues, RemindersQueries } from './reminders.queries';

const MY_DAY_REMINDERS = 1000;

function limitOf(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalid(`limit must be a whole number from 1 to ${max}`, { field: 'limit', given: raw });
  return n;
}

/** Logged interactions, each record's follow-up values, "My day" and the follow-up settings. */
@Controller()
@Roles('member', 'admin')
export class FollowUpController {
  constructor(
    private readonly interactions: InteractionCommands,
    private readonly reminders: ReminderCommands,
    private readonly queries: RemindersQueries,
  ) {}

  @Post('fundraising/log-communication')
  logCommunication(
    @Body() body: LogCommunicationDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<LoggedCommunication> {
    return this.interactions.log(
      body as Record<string, unknown>,
      { actor, source: 'api' },
      idempotencyKeyOf(key),
    );
  }

  /** Last contacted (and by whom), staleness, reminder status and interactions of the last 90 days. */
  @Get('fundraising/records/:id/follow-up')
  followUp(@Param('id') id: string): FollowUpValues {
    this.requireRecord(id);
    return this.queries.followUpOf(id);
  }

  @Get('fundraising/records/:id/interactions')
  interactionsOf(
    @Param('id') id: string,
    @Query('limit') limit?: string,
  ): { interactions: Interaction[] } {
    this.requireRecord(id);
    return { interactions: this.queries.interactionsOf(id, limitOf(limit, 100, 1000)) };
  }

  /**
   * The signed-in person's overdue and today's reminders, stale investors and the team's latest
   * interactions. "Today" is the reader's date in `tz` (an IANA zone), else the fund's.
   */
  @Get('my-day')
  myDay(@CurrentActor() actor: Actor, @Query('tz') tz?: string): MyDay {
    const zone = readerTimeZone(tz);
    const mine = { assignee_id: actor.id, limit: MY_DAY_REMINDERS, time_zone: zone };
    const overdue = this.queries.list({ ...mine, due: 'overdue' });
    const dueToday = this.queries.list({ ...mine, due: 'today' });
    return {
      today: this.queries.today(undefined, zone),
      overdue: overdue.reminders,
      due_today: dueToday.reminders,
      overdue_count: this.queries.overdueCount(actor.id, zone),
      stale_investors: this.queries.staleInvestorsOf(actor.id, 50),
      recent_interactions: this.queries.recentInteractions(20),
    };
  }

  /** The count the nav shows: overdue on the reader's today in `tz`, as My day counts it. */
  @Get('my-day/count')
  myDayCount(@CurrentActor() actor: Actor, @Query('tz') tz?: string): { overdue: number } {
    return { overdue: this.queries.overdueCount(actor.id, readerTimeZone(tz)) };
  }

  @Get('follow-up-settings')
  settings(): FollowUpSettings {
    return this.queries.settings();
  }

  @Patch('follow-up-settings')
  @Roles('admin')
  async changeSettings(
    @Body() body: FollowUpSettingsDto,
    @CurrentActor() actor: Actor,
  ): Promise<FollowUpSettings> {
    await this.reminders.changeSettings(body as Record<string, unknown>, { actor, source: 'api' });
    return this.queries.settings();
  }

  private requireRecord(id: string): void {
    if (!this.reminders.base.record(id))
      throw notFound(`record ${id} does not exist`, { field: 'record_id', given: id });
  }
}
