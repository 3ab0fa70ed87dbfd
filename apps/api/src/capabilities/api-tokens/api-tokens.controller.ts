import { Body, Controller, Delete, Get, Inject, Param, Post } from '@nestjs/common';
import type { ApiTokenList, ApiTokenView, CreatedApiToken } from '@crm/contracts';
import { CLOCK, type Clock } from '../../infrastructure/clock';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { ApiTokenCommands } from './api-token.commands';
import { ApiTokensRepository } from './api-tokens.repository';
import { CreateApiTokenDto } from './dto/api-tokens.dto';

/** A person's own API tokens: made here, shown once, listed without their secret, revoked. */
@Controller('me/tokens')
@Roles('member', 'admin')
export class MyApiTokensController {
  constructor(
    private readonly commands: ApiTokenCommands,
    private readonly repo: ApiTokensRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  create(@Body() body: CreateApiTokenDto, @CurrentActor() actor: Actor): Promise<CreatedApiToken> {
    return this.commands.create(body, { actor, source: 'api' });
  }

  @Get()
  list(@CurrentActor() actor: Actor): ApiTokenList {
    return { tokens: this.repo.tokensOf(actor.id, this.clock.now()) };
  }

  /** Another person's token is a 404 here, as one that does not exist. */
  @Delete(':id')
  revoke(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ApiTokenView> {
    return this.commands.revoke(id, 'own', { actor, source: 'api' });
  }
}

/** Every person's API tokens, for admins: list and revoke. */
@Controller('admin/tokens')
@Roles('admin')
export class AdminApiTokensController {
  constructor(
    private readonly commands: ApiTokenCommands,
    private readonly repo: ApiTokensRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  list(): ApiTokenList {
    return { tokens: this.repo.allTokens(this.clock.now()) };
  }

  @Delete(':id')
  revoke(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<ApiTokenView> {
    return this.commands.revoke(id, 'any', { actor, source: 'api' });
  }
}
