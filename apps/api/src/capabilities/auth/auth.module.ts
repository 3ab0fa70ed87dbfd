import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { UsersRepository } from '../users/index';
import { ApiTokenAuthModule } from '../api-tokens/index';
import { ApiTokenStrategy } from './api-token.strategy';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { JwtSessionStrategy, SESSION_USERS } from './jwt-session.strategy';
import { RateLimitGuard } from './rate-limit.guard';
import { TokenService } from './token.service';

/**
 * Sign-in, the global guards (who may call a route, then how often), the tokens they check and the
 * passport strategies that check them.
 */
@Module({
  imports: [UsersModule, ApiTokenAuthModule],
  controllers: [AuthController],
  providers: [
    TokenService,
    AuthService,
    { provide: SESSION_USERS, useExisting: UsersRepository },
    JwtSessionStrategy,
    ApiTokenStrategy,
    // Global guards run in this order: the auth guard sets req.actor, which the write limit counts by.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [TokenService, AuthService],
})
export class AuthModule {}
