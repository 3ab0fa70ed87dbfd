import type { AddFieldRequest, SaveViewLayoutRequest, UpdateFieldRequest } from '@crm/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { FIELD_TYPES, LIMITS } from '@crm/domain';

export class NewFieldDto implements AddFieldRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.nameChars)
  name!: string;

  @IsIn(FIELD_TYPES as unknown as string[], {
    message: `type must be one of ${FIELD_TYPES.join(', ')}`,
  })
  type!: string;

  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
}

export class NewTableDto {
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.nameChars)
  name!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIMITS.fieldsPerTable)
  @ValidateNested({ each: true })
  @Type(() => NewFieldDto)
  fields!: NewFieldDto[];
}

export class UpdateFieldDto implements UpdateFieldRequest {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.nameChars)
  name?: string;

  @IsOptional()
  @IsIn(FIELD_TYPES as unknown as string[], {
    message: `type must be one of ${FIELD_TYPES.join(', ')}`,
  })
  type?: string;

  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
}

export class SaveViewDto implements SaveViewLayoutRequest {
  @IsString()
  @MaxLength(64)
  table_id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.nameChars)
  name!: string;

  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;
}
