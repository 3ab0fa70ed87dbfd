import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import type { ChangeInput, ChangesResult } from '@crm/contracts';
import { BaseDocument, invalid } from '@crm/domain';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { ChangesDto } from './dto/changes.dto';
import { PutStateDto } from './dto/state.dto';
import { GridQueries } from './queries/grid.queries';
import { RelationalSummaryQuery } from './queries/relational-summary.query';
import { Roles } from '../auth/index';
import { FundraisingCommands } from './fundraising.commands';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { SQLITE, type Sqlite } from '../../infrastructure/database/database';
import { FundraisingRepository } from './fundraising.repository';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

@Controller('fundraising')
@Roles('member', 'admin')
export class FundraisingController {
  private readonly grid: GridQueries;
  private readonly summary: RelationalSummaryQuery;

  constructor(
    private readonly commands: FundraisingCommands,
    private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: FundraisingRepository,
    @Inject(SQLITE) db: Sqlite,
  ) {
    this.grid = new GridQueries(repo, uow);
    this.summary = new RelationalSummaryQuery(db, uow, repo);
  }

  /**
   * The whole base; with `records=<role or table id>,…` the schema of every table but the records
   * of those only (a phone's quick log reads the contacts, not 100,000 investors).
   */
  @Get('state')
  state(
    @CurrentActor() actor: Actor,
    @Query('records') records: string | undefined,
    @Res() res: Response,
  ): void {
    const recordsOf = this.tablesNamed(records);
    sendParts(res, (write) => this.grid.writeState(write, { viewer: actor, recordsOf }));
  }

  /** The tables `records` names by role or id; undefined when absent; 400 naming one unknown. */
  private tablesNamed(records: string | undefined): Set<string> | undefined {
    if (records === undefined) return undefined;
    const tables = this.repo.tables();
    const out = new Set<string>();
    for (const name of records
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const table = tables.find((t) => t.id === name || t.role === name);
      if (!table)
        throw invalid(
          `records: no table is named "${name}" (a role such as contacts, or an id)`,
          {
            field: 'records',
            given: name,
          },
          'unknown_table',
        );
      out.add(table.id);
    }
    return out;
  }

  @Put('state')
  async putState(
    @Body() body: PutStateDto,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.uow.write(() =>
      this.commands.replaceDocument(body.expected_version, body.state as unknown as BaseDocument, {
        actor,
        source: 'api',
      }),
    );
    if ('conflict' in result) {
      res.status(409).json({
        statusCode: 409,
        error: 'Conflict',
        message: `the base is at version ${result.conflict.version}, not ${body.expected_version}`,
        reason: 'wrong_expected_version',
        current_version: result.conflict.version,
        updated_at: result.conflict.updated_at,
        updated_by: result.conflict.updated_by,
        details: {
          current_version: result.conflict.version,
          updated_at: result.conflict.updated_at,
          updated_by: result.conflict.updated_by,
        },
      });
      return;
    }
    res.status(200).json(result);
  }

  @Post('changes')
  @HttpCode(200)
  changes(
    @Body() body: ChangesDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<ChangesResult> {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
      throw invalid('Idempotency-Key must be 8 to 128 letters, digits or . _ : -', {
        field: 'Idempotency-Key',
      });
    return this.commands.submitChanges(
      body.changes as ChangeInput[],
      { actor, source: 'grid' },
      key,
    );
  }

  @Get('tables/:id/records')
  records(
    @Param('id') id: string,
    @Query('cursor') cursor: string | undefined,
    @Query('limit') limitRaw: string | undefined,
    @Res() res: Response,
  ): void {
    const limit = limitRaw === undefined ? 1000 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw invalid('limit must be a whole number from 1 to 10000', {
        field: 'limit',
        given: limitRaw,
      });
    res.type('application/json').send(this.grid.recordsPageJson(id, cursor, limit));
  }

  @Get('export')
  export(@CurrentActor() actor: Actor, @Res() res: Response): void {
    const stamp = this.clock.now().replace(/[:.]/g, '-');
    res.setHeader('Content-Disposition', `attachment; filename="fundraising-${stamp}.json"`);
    sendParts(res, (write) =>
      this.grid.writeState(write, { includeArchived: true, viewer: actor }),
    );
  }

  @Get('relational-summary')
  relationalSummary() {
    return this.summary.run();
  }
}

/**
 * A JSON answer written part by part. A failure before the first part is an error answer as any
 * other; after it, the connection is cut, so that a client never takes a cut-short body for whole.
 */
function sendParts(res: Response, produce: (write: (part: string) => void) => void): void {
  res.type('application/json');
  let started = false;
  try {
    produce((part) => {
      started = true;
      res.write(part);
    });
  } catch (e) {
    if (!started) throw e;
    new Logger('HTTP').error(
      `${res.req.method} ${res.req.originalUrl} failed while answering: ${e}`,
    );
    res.destroy();
    return;
  }
  res.end();
}
