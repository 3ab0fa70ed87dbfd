import { Body, Controller, Delete, Param, Patch, Post, Query } from '@nestjs/common';
import {
  invalid,
  decideAddField,
  decideCreateTable,
  decideRemoveField,
  decideRenameField,
  decideRetypeField,
  fieldsForDisplay,
  requireField,
} from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { NewFieldDto, NewTableDto, UpdateFieldDto } from './dto/schema.dto';
import { Roles } from '../auth/index';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { FundraisingRepository } from './fundraising.repository';
import { FundraisingCommands } from './fundraising.commands';
import { type Named } from './changes-load';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import type { AddFieldResult, FieldJson, UpdateFieldResult, VersionResult } from '@crm/contracts';

/** Tables and fields: each request is one command whose events change the schema (views: views.controller.ts). */
@Controller('fundraising')
@Roles('member', 'admin')
export class SchemaController {
  constructor(
    private readonly store: SqliteEventStore,
    private readonly repo: FundraisingRepository,
    private readonly commands: FundraisingCommands,
    private readonly uow: UnitOfWork,
  ) {}

  @Post('tables')
  async createTable(@Body() body: NewTableDto, @CurrentActor() actor: Actor) {
    const tableId = newId('tbl');
    const { version } = await this.commands.decide({ actor, source: 'api' }, (ctx) =>
      decideCreateTable(
        {
          table_id: tableId,
          name: body.name,
          fields: body.fields.map((f) => ({ ...f, id: newId('fld') })),
        },
        ctx,
      ),
    );
    return { version, table: this.repo.table(tableId) && this.tableJson(tableId) };
  }

  @Post('tables/:id/fields')
  async addField(
    @Param('id') tableId: string,
    @Body() body: NewFieldDto,
    @CurrentActor() actor: Actor,
  ): Promise<AddFieldResult & FieldJson> {
    const fieldId = newId('fld');
    // A computed field's cost over the table is estimated from a sample of its records.
    const computed = ['formula', 'lookup', 'rollup', 'count'].includes(body.type);
    const { version } = await this.commands.decide(
      { actor, source: 'api' },
      (ctx) =>
        decideAddField(
          { table_id: tableId, field: { ...body, id: fieldId }, inverse_field_id: newId('fld') },
          ctx,
        ),
      computed ? { sampleOf: [tableId] } : {},
    );
    const field = this.fieldJson(fieldId)!;
    return { ...field, version, field };
  }

  @Patch('fields/:id')
  async updateField(
    @Param('id') fieldId: string,
    @Body() body: UpdateFieldDto,
    @CurrentActor() actor: Actor,
  ): Promise<UpdateFieldResult> {
    const meta = { actor, source: 'api' as const, correlation_id: newId('cor') };
    let unconverted: UpdateFieldResult['unconverted'] = [];
    const version = await this.uow.write(async () => {
      let v = this.store.lastPosition();
      if (body.name !== undefined)
        v = (
          await this.commands.decide(meta, (ctx) =>
            decideRenameField({ field_id: fieldId, name: body.name! }, ctx),
          )
        ).version;
      if (body.type !== undefined || body.options !== undefined) {
        const { version: after, decision } = await this.commands.decide(
          meta,
          (ctx) => {
            const current = requireField(ctx, fieldId).field;
            return decideRetypeField(
              {
                field_id: fieldId,
                type: body.type ?? current.type,
                options: body.options ?? current.options,
              },
              ctx,
            );
          },
          this.recordsOfFieldTable(fieldId),
        );
        const ev = decision.appends[0]?.events[0];
        if (ev?.type === 'FieldRetyped')
          unconverted = (ev.data as Pick<UpdateFieldResult, 'unconverted'>).unconverted;
        v = after;
      }
      return v;
    });
    return { version, field: this.fieldJson(fieldId), unconverted };
  }

  @Delete('fields/:id')
  async removeField(
    @Param('id') fieldId: string,
    @Query('cascade') cascade: string | undefined,
    @Query('keep_inverse_as_text') keepInverse: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<VersionResult> {
    const flags = {
      cascade: flag('cascade', cascade),
      keep_inverse_as_text: flag('keep_inverse_as_text', keepInverse),
    };
    const { version } = await this.commands.decide(
      { actor, source: 'api' },
      (ctx) => decideRemoveField({ field_id: fieldId, ...flags }, ctx),
      this.recordsOfFieldTable(fieldId),
    );
    return { version };
  }

  /** A retype converts, and a removal keeps, every value of the field: its table's records are named. */
  private recordsOfFieldTable(fieldId: string): Named {
    const table = this.repo.tables().find((t) => t.fields.some((f) => f.id === fieldId));
    return { recordsOf: table ? [table.id] : [] };
  }

  private tableJson(id: string) {
    const t = this.repo.table(id)!;
    return {
      id: t.id,
      name: t.name,
      role: t.role,
      primary_field_id: t.primary_field_id,
      fields: fieldsForDisplay(t.fields),
    };
  }

  private fieldJson(fieldId: string): FieldJson | null {
    for (const t of this.repo.tables()) {
      // A formula is shown with field names; it is stored with field ids.
      const f = fieldsForDisplay(t.fields).find((x) => x.id === fieldId);
      if (f) return { ...f, table_id: t.id };
    }
    return null;
  }
}

/** A yes/no query option: `true` or `false`, else a 400 naming it. */
function flag(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw invalid(`${name} must be true or false`, { field: name, given: raw }, 'not_a_boolean');
}
