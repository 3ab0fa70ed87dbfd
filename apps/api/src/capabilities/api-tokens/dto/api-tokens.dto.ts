import type { CreateApiTokenRequest } from '@crm/contracts';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { API_TOKEN_SCOPES, ApiTokenScope } from '@crm/events';

// Shapes only; the domain checks the name's length and the expiry and says what is wrong.
export class CreateApiTokenDto implements CreateApiTokenRequest {
  @IsString()
  @MaxLength(10_000)
  name!: string;

  @IsIn(API_TOKEN_SCOPES, { message: `scope must be one of ${API_TOKEN_SCOPES.join(', ')}` })
  scope!: ApiTokenScope;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  expires_at?: string | null;
}
