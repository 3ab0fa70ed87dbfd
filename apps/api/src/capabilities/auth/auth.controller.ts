import { Body, Controller, Get, HttpCode, Inject, Patch, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { AccountsService, publicUser } from '../users/index';

import { PublicWithLimit, Public, RateLimit, Roles } from './access.decorators';
import type { InviteInfo, MySettings, SetupStatus } from '@crm/contracts';
import { AuthService, type SignedIn } from './auth.service';
import {
  AcceptInviteDto,
  ChangePasswordDto,
  InviteTokenDto,
  LoginDto,
  MySettingsDto,
  SetupDto,
} from './dto/auth.dto';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { UsersRepository } from '../users';

/**
 * Signing in and out, the first-admin setup and accepting an invite. Every answer that signs someone
 * in has the login shape and also sets the session cookie for the web app.
 */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @PublicWithLimit('login')
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignedIn> {
    return this.withCookie(
      res,
      await this.auth.login(body.email, body.password, req.ip ?? 'unknown'),
    );
  }

  /** Ends every session of the signed-in user on all their devices (their API tokens stay). */
  @Post('logout')
  @HttpCode(204)
  @Roles('member', 'admin')
  async logout(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logout(actor);
    clearSessionCookie(res, this.config);
  }

  @Get('me')
  @Roles('member', 'admin')
  me(@CurrentActor() actor: Actor) {
    return publicUser(this.users.user(actor.id)!);
  }

  @Get('me/settings')
  @Roles('member', 'admin')
  settings(@CurrentActor() actor: Actor): MySettings {
    return { start_page: this.users.user(actor.id)!.start_page };
  }

  /** The person's own settings: where they land after signing in. */
  @Patch('me/settings')
  @Roles('member', 'admin')
  async changeSettings(
    @Body() body: MySettingsDto,
    @CurrentActor() actor: Actor,
  ): Promise<MySettings> {
    return { start_page: (await this.auth.chooseStartPage(actor, body.start_page)).start_page };
  }

  @Post('password')
  @HttpCode(200)
  @Roles('member', 'admin')
  @RateLimit('login')
  async changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignedIn> {
    return this.withCookie(
      res,
      await this.auth.changePassword(actor, body.current_password, body.new_password),
    );
  }

  /** What an invite link is for, so the accept page can show the address and role. */
  @Post('invite-info')
  @HttpCode(200)
  @PublicWithLimit('token')
  inviteInfo(@Body() body: InviteTokenDto): InviteInfo {
    const invite = this.accounts.pendingInvite(body.token);
    return { email: invite.email, role: invite.role, expires_at: invite.expires_at };
  }

  @Post('accept-invite')
  @PublicWithLimit('token')
  async acceptInvite(
    @Body() body: AcceptInviteDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignedIn> {
    const user = await this.accounts.acceptInvite(body.token, body);
    return this.withCookie(res, this.auth.signedIn(user));
  }

  @Get('setup-status')
  @Public()
  setupStatus(): SetupStatus {
    return { needs_setup: this.accounts.needsSetup() };
  }

  /** The first admin, with the one-time token the server printed at start. */
  @Post('setup')
  @PublicWithLimit('token')
  async setup(
    @Body() body: SetupDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignedIn> {
    const user = await this.accounts.setup(body.token, body);
    return this.withCookie(res, this.auth.signedIn(user));
  }

  private withCookie(res: Response, signedIn: SignedIn): SignedIn {
    setSessionCookie(res, this.config, signedIn.access_token);
    return signedIn;
  }
}
