import type { PutStateRequest } from '@crm/contracts';
import { IsInt, IsObject, Min, Max } from 'class-validator';

export class PutStateDto implements PutStateRequest {
  @IsInt({ message: 'expected_version must be a whole number' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  expected_version!: number;

  /** The whole document as GET /state returns it; the domain validates its shape field by field. */
  @IsObject()
  state!: Record<string, unknown>;
}
