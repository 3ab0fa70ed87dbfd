import type {
  AcceptInviteRequest,
  ChangePasswordRequest,
  InviteTokenRequest,
  LoginRequest,
  MySettings,
  SetupRequest,
} from '@crm/contracts';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, USER_NAME_MAX_LENGTH } from '@crm/domain';
import { ONE_TIME_TOKEN } from '../../../infrastructure/security/one-time-token';

const TOKEN_MESSAGE = { message: 'token must be the one from the link' };

export class LoginDto implements LoginRequest {
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH * 2)
  email!: string;

  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;
}

export class InviteTokenDto implements InviteTokenRequest {
  @IsString()
  @Matches(ONE_TIME_TOKEN, TOKEN_MESSAGE)
  token!: string;
}

/** Only these; anything else (a `role`, an `id`) is refused by the validation pipe, never stored. */
export class AcceptInviteDto extends InviteTokenDto implements AcceptInviteRequest {
  @IsString()
  @MaxLength(USER_NAME_MAX_LENGTH * 4)
  name!: string;

  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;

  /** Optional: when sent, it must be the address the invite was made for. */
  @IsOptional()
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH * 2)
  email?: string;
}

export class SetupDto implements SetupRequest {
  @IsString()
  @Matches(ONE_TIME_TOKEN, TOKEN_MESSAGE)
  token!: string;

  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH * 2)
  email!: string;

  @IsString()
  @MaxLength(USER_NAME_MAX_LENGTH * 4)
  name!: string;

  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;
}

export class MySettingsDto implements MySettings {
  /** `grid` or `dashboard` (checked by the account's rules, which name the field). */
  @IsString()
  start_page!: MySettings['start_page'];
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  current_password!: string;

  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  new_password!: string;
}
