import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { invalid } from '@crm/domain';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { AccountsService } from './accounts.service';
import { CreateUserDto, SetPasswordDto, UpdateUserDto } from './dto/users.dto';
import { adminUserView } from './user.views';
import { UsersRepository } from './users.repository';

/** Accounts, for admins. There is no other way in: no route registers a user by themselves. */
@Controller('admin/users')
@Roles('admin')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly accounts: AccountsService,
  ) {}

  @Get()
  list() {
    return this.users.users().map(adminUserView);
  }

  @Post()
  async create(@Body() body: CreateUserDto, @CurrentActor() actor: Actor) {
    return adminUserView(await this.accounts.createUser(body, actor));
  }

  @Patch(':id')
  async update(@Param('id') id: string, @Body() body: UpdateUserDto, @CurrentActor() actor: Actor) {
    if (body.role === undefined && body.disabled === undefined)
      throw invalid('send role, disabled or both', { fields: ['role', 'disabled'] });
    return adminUserView(await this.accounts.updateUser(id, body, actor));
  }

  /** For a person who forgot theirs: the admin sets a new one and hands it over; their sessions end. */
  @Post(':id/password')
  @HttpCode(200)
  async setPassword(
    @Param('id') id: string,
    @Body() body: SetPasswordDto,
    @CurrentActor() actor: Actor,
  ) {
    return adminUserView(await this.accounts.setPassword(id, body.password, actor));
  }
}
