import { AUTOMATION_EVENT_TYPES } from '@crm/events';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { RecordDetail, RestorePreviewPage, UndoStack } from '@crm/contracts';
import { illegal, invalid, notFound } from '@crm/domain';
import type { Response } from 'express';
import { isBusy } from '../../infrastructure/database/database-busy.error';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { BackupService } from '../backups';
import { GridQueries } from '../fundraising';
import { HISTORY, History } from './history.providers';
import { RedoDto, RestoreDto, RestorePreviewDto, UndoDto } from './dto/history.dto';
import { RestoreTarget } from './restore.service';
import { ValuesShown } from './value-context';
import { FundraisingRepository } from '../fundraising';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { CLOCK, type Clock } from '../../infrastructure/clock';

const limitOf = (raw: string | undefined, fallback: number, max: number) => {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalid(`limit must be a whole number from 1 to ${max}`, { field: 'limit', given: raw });
  return n;
};
const offsetOf = (raw: string | undefined) => {
  const n = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw invalid('offset must be a whole number from 0', { field: 'offset', given: raw });
  return n;
};
const typesOf = (raw: string | undefined) => {
  const list = raw
    ? raw
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : undefined;
  if (list && list.some((t) => !/^[A-Za-z]{1,60}$/.test(t)))
    throw invalid('types must be a comma-separated list of event types', {
      field: 'types',
      given: raw,
    });
  // `automation` stands for every event of the automations: rules, runs, notes and list moves.
  return list?.flatMap((t) => (t === 'automation' ? [...AUTOMATION_EVENT_TYPES] : [t]));
};
const positionOf = (raw: string | undefined, field: string) => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw invalid(`${field} must be a log position (a whole number)`, { field, given: raw });
  return n;
};

@Controller()
@Roles('member', 'admin')
export class HistoryController {
  private readonly grid: GridQueries;

  constructor(
    private readonly repo: FundraisingRepository,
    private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HISTORY) private readonly history: History,
    private readonly backups: BackupService,
  ) {
    this.grid = new GridQueries(repo, uow);
  }

  @Get('fundraising/records/:id/history')
  recordHistory(
    @Param('id') id: string,
    @Query('before') before?: string,
    @Query('limit') limit?: string,
  ) {
    return this.history.queries.recordHistory(
      id,
      positionOf(before, 'before'),
      limitOf(limit, 100, 1000),
    );
  }

  /** One record with who last changed each cell and when. */
  @Get('fundraising/records/:id')
  record(@Param('id') id: string): RecordDetail {
    const r = this.repo.record(id);
    if (!r) throw notFound(`record ${id} does not exist`, { field: 'record_id', given: id });
    const cells: Record<string, { at: string; by: string }> = {};
    for (const f of this.repo.table(r.table_id)?.fields ?? [])
      if (r.values[f.id] !== undefined)
        cells[f.id] = r.cells[f.id] ?? { at: r.created_at, by: r.created_by };
    return {
      id: r.id,
      table_id: r.table_id,
      values: r.values,
      archived: r.archived,
      created_at: r.created_at,
      created_by: r.created_by,
      updated_at: r.updated_at,
      updated_by: r.updated_by,
      cells,
    };
  }

  @Get('fundraising/tables/:id/archived')
  archived(
    @Param('id') id: string,
    @Query('cursor') cursor: string | undefined,
    @Query('limit') limit: string | undefined,
    @Res() res: Response,
  ): void {
    res
      .type('application/json')
      .send(this.grid.recordsPageJson(id, cursor, limitOf(limit, 500, 10_000), { archived: true }));
  }

  @Get('activity')
  activity(
    @CurrentActor() actor: Actor,
    @Query('types') types?: string,
    @Query('actor_id') actor_id?: string,
    @Query('record_id') record_id?: string,
    @Query('before') before?: string,
    @Query('limit') limit?: string,
  ) {
    return this.history.feed.page(
      {
        types: typesOf(types),
        actor_id,
        record_id,
        before: positionOf(before, 'before'),
        limit: limitOf(limit, 50, 500),
      },
      actor,
    );
  }

  /** The rows of one batch of the feed, oldest first, a page at a time. */
  @Get('activity/batches/:correlation_id')
  activityBatch(
    @CurrentActor() actor: Actor,
    @Param('correlation_id') correlationId: string,
    @Query('types') types?: string,
    @Query('offset') offset?: string,
    @Query('limit') limit?: string,
  ) {
    return this.history.feed.batch(
      correlationId,
      typesOf(types),
      offsetOf(offset),
      limitOf(limit, 100, 500),
      actor,
    );
  }

  @Get('fundraising/undo-stack')
  undoStack(@CurrentActor() actor: Actor): UndoStack {
    return { entries: this.history.queries.undoStack(actor.id) };
  }

  @Post('fundraising/undo')
  @HttpCode(200)
  undo(@Body() body: UndoDto, @CurrentActor() actor: Actor) {
    if ((body.position === undefined) === (body.correlation_id === undefined))
      throw invalid('send exactly one of position or correlation_id', { field: 'position' });
    return this.uow.write(() => this.history.undo.undo(body, actor, 'grid'));
  }

  @Post('fundraising/redo')
  @HttpCode(200)
  redo(@Body() body: RedoDto, @CurrentActor() actor: Actor) {
    return this.uow.write(() => this.history.undo.redo(body.correlation_id, actor, 'grid'));
  }

  @Post('fundraising/restore-preview')
  @Roles('admin')
  @HttpCode(200)
  async restorePreview(@Body() body: RestorePreviewDto): Promise<RestorePreviewPage> {
    const targets = [
      body.at !== undefined,
      body.position !== undefined,
      body.backup_id !== undefined,
      body.correlation_id !== undefined,
      body.actor_id !== undefined,
    ].filter(Boolean).length;
    if (targets !== 1)
      throw invalid(
        'send exactly one of at, position, backup_id, correlation_id, or actor_id with from and to',
        { field: 'at' },
      );
    let target: RestoreTarget;
    let backup: RestorePreviewPage['backup'];
    if (body.backup_id !== undefined) {
      // A backup whose log is a prefix of this one is a restore to its position; anything else is refused here.
      const check = await this.backups.checkForRestore(this.backups.entry(body.backup_id).id);
      if (!check.ok) {
        const notPrefix = check.checks.some(
          (c) => c.name === 'prefix' && !c.ok && !c.detail.startsWith('skipped'),
        );
        throw illegal(
          notPrefix
            ? "this backup's history is not a prefix of the live log, so it cannot be restored as compensating events; for disaster recovery use `npm run restore -- --from <file>`"
            : 'the backup failed verification; nothing was restored',
          { backup_id: body.backup_id, checks: check.checks },
        );
      }
      target = { position: check.manifest!.last_position };
      backup = { id: body.backup_id, created_at: check.manifest!.created_at, checks: check.checks };
    } else if (body.at !== undefined) target = { at: new Date(body.at).toISOString() };
    else if (body.position !== undefined) target = { position: body.position };
    else if (body.correlation_id !== undefined) target = { correlation_id: body.correlation_id };
    else {
      if (!body.from || !body.to)
        throw invalid("a rollback of one person's edits needs from and to", {
          field: body.from ? 'to' : 'from',
        });
      target = {
        actor_id: body.actor_id!,
        from: new Date(body.from).toISOString(),
        to: new Date(body.to).toISOString(),
      };
    }
    try {
      await this.history.snapshots.maybeSnapshotInBackground(this.clock.now());
    } catch (e) {
      // A snapshot only speeds the replay up: skipped while another process holds the write lock.
      if (!isBusy(e)) throw e;
    }
    const preview = await this.history.restore.preview(target, {
      offset: body.offset ?? 0,
      limit: body.limit ?? 100,
    });
    const shown = {
      ...preview,
      ...this.history.values.forPage([
        ...preview.to_change,
        ...preview.to_archive,
        ...preview.to_bring_back,
        ...preview.lists,
      ] as ValuesShown[]),
      tables: this.tableNames(),
    };
    return backup ? { ...shown, backup } : shown;
  }

  private tableNames(): Record<string, string> {
    return Object.fromEntries(this.repo.tables().map((t) => [t.id, t.name]));
  }

  @Post('fundraising/restore')
  @Roles('admin')
  @HttpCode(200)
  restore(@Body() body: RestoreDto, @CurrentActor() actor: Actor) {
    return this.uow.write(() => this.history.restore.restore(body.token, actor));
  }
}
