import { UsersStoreModule } from './users-store.module';
import { Module } from '@nestjs/common';
import { PasswordHasher } from '../../infrastructure/security/password-hasher';
import { AccountsService } from './accounts.service';
import { InvitesController } from './invites.controller';
import { UsersController } from './users.controller';

@Module({
  imports: [UsersStoreModule],
  controllers: [UsersController, InvitesController],
  providers: [AccountsService, { provide: PasswordHasher, useValue: new PasswordHasher() }],
  exports: [AccountsService, PasswordHasher, UsersStoreModule],
})
export class UsersModule {}
