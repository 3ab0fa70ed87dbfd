import type { CreateApiTokenRequest } from '@crm/contracts';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { API_TOKEN_SCOPES, ApiTokenScope } from '@crm/events';

// Shapes only; the domain checks the name's length and the expiry and says what is wrong.
export class CreateApiTokenDto implements CreateApiTokenRequest {
  /** What the token is for, 1 to 100 characters ("Nightly export"). */
  @IsString()
  @MaxLength(10_000)
  name!: string;

  /** `read`: every write is refused (403 token_read_only); `write`: what its owner may do. */
  @IsIn(API_TOKEN_SCOPES, { message: `scope must be one of ${API_TOKEN_SCOPES.join(', ')}` })
  scope!: ApiTokenScope;

  /** ISO 8601, in the future; absent or null: until revoked. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  expires_at?: string | null;
}
