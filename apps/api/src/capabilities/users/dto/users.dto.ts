import type {
  CreateInviteRequest,
  CreateUserRequest,
  SetPasswordRequest,
  UpdateUserRequest,
} from '@crm/contracts';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { USER_ROLES, UserRole } from '@crm/events';
import { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, USER_NAME_MAX_LENGTH } from '@crm/domain';

const ROLE_MESSAGE = { message: `role must be one of ${USER_ROLES.join(', ')}` };

// Shapes only; the domain checks addresses, names and passwords and says what is wrong.
export class CreateInviteDto implements CreateInviteRequest {
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @IsIn(USER_ROLES, ROLE_MESSAGE)
  role!: UserRole;
}

export class CreateUserDto implements CreateUserRequest {
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @IsString()
  @MaxLength(USER_NAME_MAX_LENGTH * 4)
  name!: string;

  @IsIn(USER_ROLES, ROLE_MESSAGE)
  role!: UserRole;

  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;
}

export class UpdateUserDto implements UpdateUserRequest {
  @IsOptional()
  @IsIn(USER_ROLES, ROLE_MESSAGE)
  role?: UserRole;

  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class SetPasswordDto implements SetPasswordRequest {
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;
}
