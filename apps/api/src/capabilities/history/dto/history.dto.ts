import type { RedoRequest, RestoreRequest, UndoRequest } from '@crm/contracts';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class UndoDto implements UndoRequest {
  @IsOptional()
  @IsInt({ message: 'position must be a whole number' })
  @Min(1)
  position?: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  correlation_id?: string;
}

export class RedoDto implements RedoRequest {
  @IsString()
  @MaxLength(64)
  correlation_id!: string;
}

export class RestorePreviewDto {
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'at must be an ISO 8601 date-time' })
  at?: string;

  @IsOptional()
  @IsInt({ message: 'position must be a whole number' })
  @Min(0)
  position?: number;

  /** Restore to the position a backup was taken at (after checking it is a sound prefix of this log). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  backup_id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  correlation_id?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor_id?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  offset?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class RestoreDto implements RestoreRequest {
  @IsString()
  @MaxLength(4096)
  token!: string;
}
