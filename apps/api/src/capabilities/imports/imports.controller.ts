import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { csvRow, guardFormula, invalid, LIMITS } from '@crm/domain';
import type { Response } from 'express';
import { toErrorBody } from '../../infrastructure/http/error-filter';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { CsvEncoding } from './csv/decode-text';
import { CsvDelimiter } from './csv/sniff-delimiter';
import { PatchImportDto, StartImportDto } from './dto/imports.dto';
import { ImportSessions, PatchImport } from './import-sessions.service';
import { IMPORT_SESSIONS } from './imports.providers';
import { UploadLimitInterceptor } from './upload-limit.interceptor';

interface UploadedCsv {
  originalname: string;
  buffer: Buffer;
  size: number;
}

const parseList = (raw: string | undefined, field: string): string[] | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // fall through to the one message
  }
  throw invalid(`${field} must be a JSON list of column names, such as ["Email"]`, { field });
};

/**
 * CSV import in three steps: upload (parse, infer, plan), adjust the mapping and merge key (plan
 * again), commit (one batch of events). Each session belongs to the person who started it.
 */
@Controller('fundraising/imports')
@Roles('member', 'admin')
export class ImportsController {
  constructor(@Inject(IMPORT_SESSIONS) private readonly sessions: ImportSessions) {}

  @Post()
  @UseInterceptors(
    UploadLimitInterceptor,
    FileInterceptor('file', {
      limits: {
        fileSize: LIMITS.importFileBytes,
        files: 1,
        fields: 10,
        fieldSize: 16 * 1024,
        parts: 12,
      },
    }),
  )
  async start(
    @UploadedFile() file: UploadedCsv | undefined,
    @Body() body: StartImportDto,
    @CurrentActor() actor: Actor,
  ) {
    if (!file)
      throw invalid('send the CSV as multipart/form-data, in a part named "file"', {
        field: 'file',
      });
    return this.sessions.start(
      {
        file_name: (file.originalname || 'import.csv').slice(0, 255),
        bytes: file.buffer,
        table_id: body.table_id,
        new_table_name: body.new_table_name,
        merge_fields: parseList(body.merge_fields, 'merge_fields'),
        encoding: body.encoding as CsvEncoding | undefined,
        delimiter: (body.delimiter === 'tab' ? '\t' : body.delimiter) as CsvDelimiter | undefined,
      },
      actor,
    );
  }

  /** The tables an import can go into, with their fields (no records): what the wizard's mapping offers. */
  @Get('targets')
  targets() {
    return { tables: this.sessions.targets() };
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.sessions.get(id, actor);
  }

  @Patch(':id')
  patch(@Param('id') id: string, @Body() body: PatchImportDto, @CurrentActor() actor: Actor) {
    return this.sessions.patch(id, body as PatchImport, actor);
  }

  /**
   * Commits the plan. With `Prefer: respond-async` it answers 202 at once and the work follows;
   * GET the import for its progress and result.
   */
  @Post(':id/commit')
  @HttpCode(200)
  commit(
    @Param('id') id: string,
    @Headers('prefer') prefer: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!/respond-async/i.test(prefer ?? '')) return this.sessions.commit(id, actor);
    this.sessions.get(id, actor);
    setImmediate(() => {
      this.sessions
        .commit(id, actor)
        .catch((e: unknown) => this.sessions.recordFailure(id, toErrorBody(e).body));
    });
    res.status(202);
    return { id, status: 'committing', progress: { phase: 'checking', done: 0, total: null } };
  }

  /** Every error of the plan as CSV (line, column, message), for fixing the file in a spreadsheet. */
  @Get(':id/errors.csv')
  async errors(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const errors = await this.sessions.errorsOf(id, actor);
    const rows = errors.map((e) =>
      csvRow([
        e.line === null ? '' : String(e.line),
        guardFormula(e.column ?? ''),
        guardFormula(e.message),
      ]),
    );
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="import-${id}-errors.csv"`);
    res.send(`\uFEFF${csvRow(['line', 'column', 'message'])}${rows.join('')}`);
  }
}
