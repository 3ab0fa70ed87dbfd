import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { UsersRepository } from '../users/index';
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
  imports: [UsersModule],
  controllers: [AuthController],
  providers: [
    TokenService,
    AuthService,
    { provide: SESSION_USERS, useExisting: UsersRepository },
    JwtSessionStrategy,
    // Global guards run in this order: the auth guard sets req.actor, which the write limit counts by.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [TokenService, AuthService],
})
export class AuthModule {}
