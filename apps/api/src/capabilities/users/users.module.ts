import { Module } from '@nestjs/common';
import { PasswordHasher } from '../../infrastructure/security/password-hasher';
import { AccountsService } from './accounts.service';
import { InvitesController } from './invites.controller';
import { UsersController } from './users.controller';

@Module({
  controllers: [UsersController, InvitesController],
  providers: [AccountsService, { provide: PasswordHasher, useValue: new PasswordHasher() }],
  exports: [AccountsService, PasswordHasher],
})
export class UsersModule {}
