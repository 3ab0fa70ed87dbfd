import type {
  ChangeFeatureRequestBody,
  FeatureRequestStatus,
  FileFeatureRequestBody,
} from '@crm/contracts';
import { IsOptional, IsString } from 'class-validator';

/** The lengths (title 1–200 characters, body up to 20,000) are the domain's rules, which name them. */
export class FileFeatureRequestDto implements FileFeatureRequestBody {
  @IsString()
  title!: string;

  @IsOptional()
  @IsString()
  body?: string;
}

export class ChangeFeatureRequestDto implements ChangeFeatureRequestBody {
  @IsOptional()
  @IsString()
  title?: string;

  @IsOptional()
  @IsString()
  body?: string;

  /** open, planned, in_progress, done or declined; admins only. */
  @IsOptional()
  @IsString()
  status?: FeatureRequestStatus;
}

export class FeatureRequestQueryDto {
  @IsOptional()
  @IsString()
  status?: FeatureRequestStatus;
}
