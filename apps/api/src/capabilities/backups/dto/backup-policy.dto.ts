import type { BackupPolicyChange } from '@crm/contracts';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

// Shapes only; the domain checks the time, the zone and the retention numbers and says what is wrong.
export class UpdateBackupPolicyDto implements BackupPolicyChange {
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(5)
  time_of_day?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  time_zone?: string;

  @IsOptional()
  @IsInt({ message: 'keep_daily must be a whole number' })
  keep_daily?: number;

  @IsOptional()
  @IsInt({ message: 'keep_weekly must be a whole number' })
  keep_weekly?: number;

  @IsOptional()
  @IsInt({ message: 'keep_monthly must be a whole number' })
  keep_monthly?: number;

  @IsOptional()
  @IsBoolean()
  verify_after_backup?: boolean;

  @IsOptional()
  @IsBoolean()
  drill_weekly?: boolean;
}
