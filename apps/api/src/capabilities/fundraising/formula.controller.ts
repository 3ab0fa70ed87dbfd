import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  FORMULA_FUNCTION_DOCS,
  previewFormula,
  requireTable,
  notFound,
  fieldsForDisplay,
  type LinkNames,
  linkNamesOf,
} from '@crm/domain';
import { Roles } from '../auth/index';
import { EvaluateFormulaDto } from './dto/views.dto';
import { FundraisingRepository } from './fundraising.repository';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import type { FormulaPreview } from '@crm/contracts';

/** The formula editor's helpers: a live preview, and the function reference for autocomplete. */
@Controller('fundraising/formula')
@Roles('member', 'admin')
export class FormulaController {
  constructor(
    private readonly repo: FundraisingRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * `{ value, type }`, or `{ error: { message, position, length, kind } }` — an answer either way
   * (200): a formula with a mistake is what a preview is for.
   */
  @Post('evaluate')
  @HttpCode(200)
  evaluate(@Body() body: EvaluateFormulaDto): FormulaPreview {
    const now = Date.parse(this.clock.now());
    if (!body.table_id)
      return previewFormula({ formula: body.formula, fields: body.fields ?? {}, now });
    const table = requireTable(this.repo, body.table_id);
    const record = body.record_id ? this.repo.record(body.record_id) : undefined;
    if (body.record_id && (!record || record.table_id !== table.id))
      throw notFound(`record ${body.record_id} does not exist in this table`, {
        field: 'record_id',
        given: body.record_id,
      });
    return previewFormula({
      formula: body.formula,
      fields: body.fields,
      definitions: fieldsForDisplay(table.fields),
      record: record && { ...record, team: this.repo.member },
      names: this.linkNames(),
      now,
    });
  }

  /** Links read as the linked records' names, as in the formula fields' values. */
  private linkNames(): LinkNames {
    return linkNamesOf({
      fieldsOf: (id) => this.repo.table(id)?.fields,
      primaryFieldOf: (id) => this.repo.table(id)?.primary_field_id,
      records: (ids) => ids.flatMap((id) => this.repo.record(id) ?? []),
    });
  }

  @Get('functions')
  functions() {
    return { functions: FORMULA_FUNCTION_DOCS };
  }
}
