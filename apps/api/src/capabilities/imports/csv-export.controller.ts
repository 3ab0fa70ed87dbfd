import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Writable } from 'node:stream';
import { readerTimeZone, requireVisibleView } from '@crm/domain';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { CsvExport, exportCsv } from './csv-export.query';
import { FundraisingRepository } from '../fundraising';
import { BASE_ACCESS, type BaseAccess } from './base-access';

/** CSV downloads of a table (as its default view shows it) or of one view. */
@Controller('fundraising')
@Roles('member', 'admin')
export class CsvExportController {
  constructor(
    private readonly repo: FundraisingRepository,
    @Inject(BASE_ACCESS) private readonly base: BaseAccess,
  ) {}

  @Get('tables/:id/export.csv')
  async table(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await send(res, await exportCsv(this.base, { table_id: id }, actor.id));
  }

  @Get('views/:id/export.csv')
  async view(
    @Param('id') id: string,
    @Query('tz') tz: string | undefined,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    // Someone else's personal view does not exist for this person.
    requireVisibleView(this.repo.view(id), id, actor);
    // Its relative dates ("today") read in the reader's zone, as the grid showed them.
    const timeZone = readerTimeZone(tz);
    await send(res, await exportCsv(this.base, { view_id: id }, actor.id, timeZone));
  }
}

async function send(res: Response, file: CsvExport): Promise<void> {
  const ascii = file.file_name.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_');
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Log-Version', String(file.version));
  res.setHeader('X-Row-Count', String(file.rows));
  await writeChunks(res, file.chunks);
}

/**
 * Writes the pieces as they are made and ends the stream. A reader who hangs up stops the writing
 * (leaving the loop ends the generator); a slow one is waited for, so that the file is made as fast
 * as it is read, not held in memory.
 */
export async function writeChunks(out: Writable, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (out.destroyed) break;
    if (!out.write(chunk)) await drainedOrClosed(out);
  }
  out.end();
}

function drainedOrClosed(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
