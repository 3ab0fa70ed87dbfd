import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { notFound, readerTimeZone } from '@crm/domain';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { ChangeReminderDto, CreateReminderDto, SnoozeReminderDto } from './dto/reminders.dto';
import { idempotencyKeyOf, reminderFilterOf } from './query-params';
import { type ReminderAction, ReminderCommands } from './reminder.commands';
import { type ReminderView, RemindersQueries } from './reminders.queries';

/**
 * Reminders on investors and contacts. Anyone of the team edits, completes, snoozes or reopens any
 * reminder; cancelling or deleting someone else's is for admins (see SECURITY.md).
 */
@Controller('reminders')
@Roles('member', 'admin')
export class RemindersController {
  constructor(
    private readonly commands: ReminderCommands,
    private readonly queries: RemindersQueries,
  ) {}

  @Get()
  list(
    @Query() query: Record<string, string | undefined>,
    @CurrentActor() actor: Actor,
  ): { reminders: ReminderView[]; next_before: string | null } {
    return this.queries.list(reminderFilterOf(query, actor));
  }

  @Get(':id')
  get(@Param('id') id: string): ReminderView {
    return this.one(id);
  }

  @Post()
  async create(
    @Body() body: CreateReminderDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<ReminderView> {
    const id = await this.commands.create(
      body as Record<string, unknown>,
      { actor, source: 'api' },
      idempotencyKeyOf(key),
    );
    return this.one(id);
  }

  @Patch(':id')
  async change(
    @Param('id') id: string,
    @Body() body: ChangeReminderDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReminderView> {
    await this.commands.change(id, body as Record<string, unknown>, { actor, source: 'api' });
    return this.one(id);
  }

  /** Until a date after today: the reader's in `tz`, else the fund's (the answer's status too). */
  @Post(':id/snooze')
  @HttpCode(200)
  async snooze(
    @Param('id') id: string,
    @Body() body: SnoozeReminderDto,
    @Query('tz') tz: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<ReminderView> {
    const zone = readerTimeZone(tz);
    await this.commands.snooze(id, body.until, { actor, source: 'api' }, zone);
    return this.one(id, zone);
  }

  @Post(':id/done')
  @HttpCode(200)
  done(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ReminderView> {
    return this.act(id, 'done', actor);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ReminderView> {
    return this.act(id, 'cancel', actor);
  }

  /** After done, a cancel (its record archived and brought back) or a snooze. */
  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ReminderView> {
    return this.act(id, 'reopen', actor);
  }

  /** Soft delete: gone from lists, kept in the record's history. */
  @Delete(':id')
  async remove(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<{ id: string }> {
    await this.commands.act(id, 'delete', { actor, source: 'api' });
    return { id };
  }

  private async act(id: string, action: ReminderAction, actor: Actor): Promise<ReminderView> {
    await this.commands.act(id, action, { actor, source: 'api' });
    return this.one(id);
  }

  private one(id: string, zone: string | null = null): ReminderView {
    const view = this.queries.one(id, zone);
    if (!view) throw notFound(`no reminder ${id}`, { field: 'id', given: id });
    return view;
  }
}
