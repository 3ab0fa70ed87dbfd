import {
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { LIMITS } from '@crm/domain';
import { CSV_ENCODINGS } from '../csv/decode-text';

/** The text fields of the multipart upload (the file itself is `file`). */
export class StartImportDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  table_id?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.nameChars)
  new_table_name?: string;

  /** A JSON list of column names, e.g. ["Email"] or ["Name","Fund"]. */
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  merge_fields?: string;

  @IsOptional()
  @IsIn(CSV_ENCODINGS as unknown as string[])
  encoding?: string;

  /** `,` `;` `tab` or `|`; detected when absent. */
  @IsOptional()
  @IsIn([',', ';', 'tab', '\t', '|'])
  delimiter?: string;
}

export class PatchImportDto {
  /** Column name → `{ field_id }`, `{ new_field: { type, name?, options? } }` or `"skip"`, with optional date_order, decimal, time_zone. */
  @IsOptional()
  @IsObject()
  mapping?: Record<string, unknown>;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  merge_fields?: string[];

  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
}
