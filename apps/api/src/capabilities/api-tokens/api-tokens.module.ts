import { Module } from '@nestjs/common';
import { ApiTokenAuthModule } from './api-token-auth.module';
import { AdminApiTokensController, MyApiTokensController } from './api-tokens.controller';

/** The routes of API tokens: a person's own, and every person's for admins. */
@Module({
  imports: [ApiTokenAuthModule],
  controllers: [MyApiTokensController, AdminApiTokensController],
})
export class ApiTokensModule {}
