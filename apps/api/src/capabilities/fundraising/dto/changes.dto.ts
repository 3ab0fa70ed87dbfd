import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { LIMITS } from '@crm/domain';

export class ChangeDto {
  @IsIn(['create', 'set', 'archive', 'unarchive'], { message: 'op must be one of create, set, archive, unarchive' })
  op!: 'create' | 'set' | 'archive' | 'unarchive';

  @IsOptional() @IsString() @MaxLength(64)
  table_id?: string;

  @IsOptional() @IsString() @MaxLength(64)
  record_id?: string;

  @IsOptional() @IsString() @MaxLength(64)
  field_id?: string;

  /** What the person saw in the cell (compare-and-set); any JSON value. */
  @Allow()
  from?: unknown;

  /** The new value; any JSON value, checked against the field's type by the domain. */
  @Allow()
  to?: unknown;

  @IsOptional() @IsObject()
  values?: Record<string, unknown>;
}

export class ChangesDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(LIMITS.changesPerBatch)
  @ValidateNested({ each: true }) @Type(() => ChangeDto)
  changes!: ChangeDto[];
}
