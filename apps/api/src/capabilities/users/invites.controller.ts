import { Body, Controller, Delete, Get, Inject, Param, Post, Req } from '@nestjs/common';
import type { CreatedInvite } from '@crm/contracts';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Core, CORE } from '../../core';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/access.decorators';
import { AccountsService } from './accounts.service';
import { CreateInviteDto } from './dto/users.dto';
import { inviteView } from './user.views';

/** Page of the web app that accepts an invite; the link carries the token. */
export const ACCEPT_INVITE_PATH = '/accept-invite';

@Controller('admin/invites')
@Roles('admin')
export class InvitesController {
  constructor(
    @Inject(CORE) private readonly core: Core,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsService,
  ) {}

  /** The token is shown once, here; the server keeps only its SHA-256. */
  @Post()
  create(
    @Body() body: CreateInviteDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): CreatedInvite {
    const { invite, token } = this.accounts.invite(body, actor);
    const base = (this.config.publicUrl ?? `${req.protocol}://${req.get('host')}`).replace(
      /\/+$/,
      '',
    );
    return {
      ...inviteView(invite, this.core.clock.now()),
      token,
      url: `${base}${ACCEPT_INVITE_PATH}?token=${token}`,
    };
  }

  @Get()
  list() {
    const now = this.core.clock.now();
    return this.core.users.invites().map((i) => inviteView(i, now));
  }

  @Delete(':id')
  revoke(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return inviteView(this.accounts.revokeInvite(id, actor), this.core.clock.now());
  }
}
