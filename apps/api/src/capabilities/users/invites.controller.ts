import { Body, Controller, Delete, Get, Inject, Param, Post, Req } from '@nestjs/common';
import type { CreatedInvite } from '@crm/contracts';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { AccountsService } from './accounts.service';
import { CreateInviteDto } from './dto/users.dto';
import { inviteView } from './user.views';
import { UsersRepository } from './users.repository';
import { CLOCK, type Clock } from '../../infrastructure/clock';

/** Page of the web app that accepts an invite; the link carries the token. */
export const ACCEPT_INVITE_PATH = '/accept-invite';

@Controller('admin/invites')
@Roles('admin')
export class InvitesController {
  constructor(
    private readonly users: UsersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsService,
  ) {}

  /** The token is shown once, here; the server keeps only its SHA-256. */
  @Post()
  async create(
    @Body() body: CreateInviteDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
  ): Promise<CreatedInvite> {
    const { invite, token } = await this.accounts.invite(body, actor);
    const base = (this.config.publicUrl ?? `${req.protocol}://${req.get('host')}`).replace(
      /\/+$/,
      '',
    );
    return {
      ...inviteView(invite, this.clock.now()),
      token,
      url: `${base}${ACCEPT_INVITE_PATH}?token=${token}`,
    };
  }

  @Get()
  list() {
    const now = this.clock.now();
    return this.users.invites().map((i) => inviteView(i, now));
  }

  @Delete(':id')
  async revoke(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return inviteView(await this.accounts.revokeInvite(id, actor), this.clock.now());
  }
}
