import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import type { FeatureRequest, FeatureRequestList } from '@crm/contracts';
import { invalid, notFound } from '@crm/domain';
import { FEATURE_REQUEST_STATUSES, type FeatureRequestStatus } from '@crm/events';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { FeatureRequestCommands } from './feature-request.commands';
import { ChangeFeatureRequestDto, FileFeatureRequestDto } from './feature-requests.dto';

/** A status in a query: one of the board's columns, or a 400 naming it. */
function statusOf(given: string | undefined): FeatureRequestStatus | undefined {
  if (given === undefined || FEATURE_REQUEST_STATUSES.includes(given as FeatureRequestStatus))
    return given as FeatureRequestStatus | undefined;
  throw invalid(
    `status must be one of ${FEATURE_REQUEST_STATUSES.join(', ')}`,
    { field: 'status', given },
    'invalid_value',
  );
}

/** The team's feature requests: any member files, edits their own and votes; admins set the status. */
@Controller('feature-requests')
@Roles('member', 'admin')
export class FeatureRequestsController {
  constructor(@Inject(FeatureRequestCommands) private readonly commands: FeatureRequestCommands) {}

  @Get()
  list(
    @Query('status') status: string | undefined,
    @CurrentActor() actor: Actor,
  ): FeatureRequestList {
    return { requests: this.commands.repo.list(actor.id, statusOf(status)) };
  }

  @Post()
  async file(
    @Body() body: FileFeatureRequestDto,
    @CurrentActor() actor: Actor,
  ): Promise<FeatureRequest> {
    const id = await this.commands.file(body, { actor, source: 'api' });
    return this.view(id, actor);
  }

  @Patch(':id')
  async change(
    @Param('id') id: string,
    @Body() body: ChangeFeatureRequestDto,
    @CurrentActor() actor: Actor,
  ): Promise<FeatureRequest> {
    await this.commands.change(id, body, { actor, source: 'api' });
    return this.view(id, actor);
  }

  @Post(':id/vote')
  @HttpCode(200)
  async vote(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<FeatureRequest> {
    await this.commands.vote(id, true, { actor, source: 'api' });
    return this.view(id, actor);
  }

  @Delete(':id/vote')
  async unvote(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<FeatureRequest> {
    await this.commands.vote(id, false, { actor, source: 'api' });
    return this.view(id, actor);
  }

  private view(id: string, actor: Actor): FeatureRequest {
    const view = this.commands.repo.view(id, actor.id);
    if (!view) throw notFound(`no feature request ${id}`, { field: 'id', given: id });
    return view;
  }
}
