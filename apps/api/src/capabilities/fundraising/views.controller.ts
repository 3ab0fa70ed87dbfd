import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type {
  SavedView,
  SavedViewResult,
  VersionResult,
  ViewDiffResult,
  ViewList,
  ViewRecordsAsOfPage,
} from '@crm/contracts';
import { ViewConfig } from '@crm/events';
import {
  canSeeView,
  decideDeleteView,
  decideSaveView,
  invalid,
  type KanbanSettings,
  placeCard,
  readerTimeZone,
  requireTable,
  requireVisibleView,
  type ViewState,
} from '@crm/domain';
import type { Response } from 'express';
import { newId } from '../../infrastructure/clock';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { CreateViewDto, MoveCardDto, SETTING_KEYS, UpdateViewDto } from './dto/views.dto';
import { decodeCursor, encodeCursor, ViewRecordsQuery } from './queries/view-records.query';
import { viewJson } from './view-json';
import { FundraisingRepository } from './fundraising.repository';
import { FundraisingCommands } from './fundraising.commands';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { AsOfService } from '../history/index';

function limitOf(raw: string | undefined): number {
  const limit = raw === undefined || raw === '' ? 1000 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw invalid('limit must be a whole number from 1 to 10000', { field: 'limit', given: raw });
  return limit;
}

interface AsOfPaging {
  cursor: string | undefined;
  limit: number;
  definition: 'then' | 'now';
  timeZone: string | null;
}

/** `definition` of an as-of read: the view's filters and sorts of that moment (default) or of now. */
function definitionOf(raw: string | undefined): 'then' | 'now' {
  if (raw === undefined || raw === 'then' || raw === 'now') return raw ?? 'then';
  throw invalid('definition must be then or now', { field: 'definition', given: raw });
}

/** The settings a request spells out, over the config it may also send whole. */
function settingsOf(body: CreateViewDto | UpdateViewDto, base: ViewConfig = {}): ViewConfig {
  const out: ViewConfig = { ...base, ...(body.config ?? {}) };
  for (const key of SETTING_KEYS) if (body[key] !== undefined) out[key] = body[key];
  return out;
}

/**
 * Saved views: create, change, delete, list, and the records of a view with its filters and sorts
 * applied. Every change is a ViewSaved or ViewDeleted event; personal views answer 404 to anyone
 * but their owner; locked views answer 403 to members.
 */
@Controller('fundraising/views')
@Roles('member', 'admin')
export class ViewsController {
  private readonly records: ViewRecordsQuery;

  constructor(
    private readonly repo: FundraisingRepository,
    private readonly commands: FundraisingCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    uow: UnitOfWork,
    store: SqliteEventStore,
    private readonly asOf: AsOfService,
  ) {
    this.records = new ViewRecordsQuery(repo, uow, (after, limit) => store.readAll(after, limit));
  }

  @Post()
  async create(@Body() body: CreateViewDto, @CurrentActor() actor: Actor) {
    const viewId = newId('viw');
    const { version } = await this.commands.decide({ actor, source: 'api' }, (ctx) =>
      decideSaveView(
        {
          view_id: viewId,
          table_id: body.table_id,
          name: body.name,
          config: settingsOf(body),
          actor,
        },
        ctx,
      ),
    );
    return this.answer(viewId, version);
  }

  @Get()
  list(@Query('table_id') tableId: string | undefined, @CurrentActor() actor: Actor): ViewList {
    const views = this.repo
      .viewIds()
      .map((id) => this.repo.view(id)!)
      .filter((v) => (!tableId || v.table_id === tableId) && canSeeView(v, actor));
    return { views: views.map(viewJson) };
  }

  @Get(':id')
  one(@Param('id') viewId: string, @CurrentActor() actor: Actor): SavedView {
    return viewJson(requireVisibleView(this.repo.view(viewId), viewId, actor));
  }

  @Patch(':id')
  async update(
    @Param('id') viewId: string,
    @Body() body: UpdateViewDto,
    @CurrentActor() actor: Actor,
  ) {
    const { version } = await this.commands.decide({ actor, source: 'api' }, (ctx) => {
      const view = requireVisibleView(ctx.view(viewId), viewId, actor);
      return decideSaveView(
        {
          view_id: viewId,
          table_id: view.table_id,
          name: body.name ?? view.name,
          config: settingsOf(body, view.config),
          actor,
        },
        ctx,
      );
    });
    return this.answer(viewId, version);
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@Param('id') viewId: string, @CurrentActor() actor: Actor): Promise<VersionResult> {
    const { version } = await this.commands.decide({ actor, source: 'api' }, (ctx) =>
      decideDeleteView({ view_id: viewId, actor }, ctx),
    );
    return { version };
  }

  @Get(':id/records')
  async viewRecords(
    @Param('id') viewId: string,
    @Query('cursor') cursor: string | undefined,
    @Query('limit') limitRaw: string | undefined,
    @Query('as_of') asOf: string | undefined,
    @Query('definition') definition: string | undefined,
    @Query('tz') tz: string | undefined,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const limit = limitOf(limitRaw);
    const timeZone = readerTimeZone(tz);
    const view = requireVisibleView(this.repo.view(viewId), viewId, actor);
    if (asOf !== undefined) {
      const page = { cursor, limit, definition: definitionOf(definition), timeZone };
      res.json(await this.recordsAsOf(view, asOf, page, actor));
      return;
    }
    const table = requireTable(this.repo, view.table_id);
    res
      .type('application/json')
      .send(
        this.records.pageJson(
          view,
          table,
          cursor || undefined,
          limit,
          Date.parse(this.clock.now()),
          actor.id,
          timeZone,
        ),
      );
  }

  /** The view over the base as it was at a past moment: read-only, from the log, never the live read models. */
  private async recordsAsOf(
    view: ViewState,
    raw: string,
    { cursor, limit, ...reading }: AsOfPaging,
    actor: Actor,
  ): Promise<ViewRecordsAsOfPage> {
    const at = this.asOf.moment(raw, 'as_of');
    const offset = cursor ? decodeCursor(cursor) : 0;
    const page = await this.asOf.records(view, at, actor.id, { offset, limit }, reading);
    return {
      view_id: view.id,
      as_of: { at: at.at, position: at.position },
      read_only: true,
      view_defined: page.view_defined,
      fields: page.fields,
      total: page.total,
      ...(page.groups ? { groups: page.groups } : {}),
      records: page.records,
      next_cursor: offset + limit < page.total ? encodeCursor(offset + limit) : null,
    };
  }

  /** Records that entered, left or changed in the view between two moments, with the changed fields. */
  @Get(':id/diff')
  async diff(
    @Param('id') viewId: string,
    @Query('from') fromRaw: string | undefined,
    @Query('to') toRaw: string | undefined,
    @Query('definition') definition: string | undefined,
    @Query('tz') tz: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<ViewDiffResult> {
    const view = requireVisibleView(this.repo.view(viewId), viewId, actor);
    const reading = { definition: definitionOf(definition), timeZone: readerTimeZone(tz) };
    const { from, to } = this.asOf.period(fromRaw, toRaw ?? this.clock.now());
    const d = await this.asOf.diff(view, from, to, actor.id, reading);
    return {
      view_id: view.id,
      from: { at: from.at, position: from.position },
      to: { at: to.at, position: to.position },
      counts: { entered: d.entered.length, left: d.left.length, changed: d.changed.length },
      entered: d.entered,
      left: d.left,
      changed: d.changed,
      fields: d.fields,
    };
  }

  /**
   * Puts a card after another in its column (or at the top): the card gets a rank key between its
   * new neighbours', saved with the board; the other cards keep theirs. Moving a card to another
   * column is an edit of the record's field, through the changes endpoint.
   */
  @Post(':id/cards/:recordId/move')
  @HttpCode(200)
  async moveCard(
    @Param('id') viewId: string,
    @Param('recordId') recordId: string,
    @Body() body: MoveCardDto,
    @Query('tz') tz: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<VersionResult> {
    const now = Date.parse(this.clock.now());
    const timeZone = readerTimeZone(tz);
    const { version } = await this.commands.decide({ actor, source: 'grid' }, (ctx) => {
      const view = requireVisibleView(ctx.view(viewId), viewId, actor);
      const kanban = view.config.kanban as KanbanSettings | undefined;
      if (view.config.type !== 'kanban' || !kanban)
        throw invalid(`view ${viewId} is not a board`, { field: 'view_id', reason: 'not_a_board' });
      const table = requireTable(ctx, view.table_id);
      const column = this.records.cardColumn(view, table, recordId, now, actor.id, timeZone);
      const after = body.after_record_id ?? null;
      const index = after === null ? 0 : column.indexOf(after) + 1;
      if (after !== null && index === 0)
        throw invalid(`record ${after} is not in the card's column`, {
          field: 'after_record_id',
          reason: 'not_in_column',
          given: after,
        });
      const ranks = { ...kanban.ranks, ...placeCard(column, kanban.ranks ?? {}, recordId, index) };
      return decideSaveView(
        {
          view_id: viewId,
          table_id: view.table_id,
          name: view.name,
          config: { ...view.config, kanban: { ...kanban, ranks } },
          actor,
        },
        ctx,
      );
    });
    return { version };
  }

  /** The saved view, with the log position after the change (`view` repeats it for older clients). */
  private answer(viewId: string, version: number): SavedViewResult {
    const json = viewJson(this.repo.view(viewId)!);
    return { ...json, version, view: json };
  }
}
