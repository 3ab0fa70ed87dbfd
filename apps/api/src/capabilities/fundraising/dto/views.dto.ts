import type { EvaluateFormulaRequest } from '@crm/contracts';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { LIMITS } from '@crm/domain';

/**
 * A view's settings, each optional. Shapes are checked here; whether filters and sorts fit the
 * table's fields is the domain's call (a 400 naming the path of the mistake).
 */
class ViewSettingsDto {
  @IsOptional()
  @IsBoolean()
  personal?: boolean;

  @IsOptional()
  @IsBoolean()
  locked?: boolean;

  /** `{ conjunction, conditions }`, or null for no filter. */
  @Allow()
  filters?: unknown;

  @IsOptional()
  @IsArray()
  sorts?: unknown[];

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  hidden_fields?: string[];

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  field_order?: string[];

  @IsOptional()
  @IsObject()
  field_widths?: Record<string, number>;

  @IsOptional()
  @IsInt()
  frozen_columns?: number;

  @IsOptional()
  @IsString()
  row_height?: string;

  /** The summary bar: field id → filled, empty, percent_filled, unique, sum, average, min or max. */
  @IsOptional()
  @IsObject()
  summaries?: Record<string, string>;

  /** grid (the default) or kanban. */
  @IsOptional()
  @IsString()
  type?: string;

  /** Up to three `{ field_id, direction }` levels (checked against the table by the domain). */
  @Allow()
  group_by?: unknown;

  /** Keys of the groups shown collapsed. */
  @Allow()
  collapsed_groups?: unknown;

  /** A board's `{ field_id, card_fields }`. */
  @Allow()
  kanban?: unknown;

  /** Other settings the web app keeps with a view (and the whole config, as PUT sends it). */
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;
}

export class CreateViewDto extends ViewSettingsDto {
  @IsString()
  @MaxLength(64)
  table_id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.nameChars)
  name!: string;
}

export class UpdateViewDto extends ViewSettingsDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.nameChars)
  name?: string;
}

export const SETTING_KEYS = [
  'personal',
  'locked',
  'filters',
  'sorts',
  'hidden_fields',
  'field_order',
  'field_widths',
  'frozen_columns',
  'row_height',
  'summaries',
  'type',
  'group_by',
  'collapsed_groups',
  'kanban',
] as const;

/** Where a card goes in its column: after this card, or at the top (null). */
export class MoveCardDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after_record_id?: string | null;
}

export class EvaluateFormulaDto implements EvaluateFormulaRequest {
  @IsString()
  @MaxLength(20_000)
  formula!: string;

  /** Sample values by field name (the current record's, in the editor). */
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;

  /** Check the formula against this table's fields (names, types) instead of the samples' types. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  table_id?: string;

  /** Evaluate on this record (its values, formula values and stamps); `fields` override by name. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  record_id?: string;
}
