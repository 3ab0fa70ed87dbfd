import { Body, Controller, Param, Put } from '@nestjs/common';
import { decideSaveView, requireVisibleView } from '@crm/domain';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { SaveViewDto } from './dto/schema.dto';
import { Roles } from '../auth/index';
import { FundraisingRepository } from './fundraising.repository';
import { FundraisingCommands } from './fundraising.commands';

/** Saves an existing view in place (the grid keeps column order and widths in its table's default view). */
@Controller('fundraising')
@Roles('member', 'admin')
export class ViewLayoutController {
  constructor(
    private readonly repo: FundraisingRepository,
    private readonly commands: FundraisingCommands,
  ) {}

  @Put('views/:id')
  async saveView(
    @Param('id') viewId: string,
    @Body() body: SaveViewDto,
    @CurrentActor() actor: Actor,
  ) {
    requireVisibleView(this.repo.view(viewId), viewId, actor);
    const { version } = await this.commands.decide({ actor, source: 'grid' }, (ctx) =>
      decideSaveView(
        {
          view_id: viewId,
          table_id: body.table_id,
          name: body.name,
          config: body.config ?? {},
          actor,
        },
        ctx,
      ),
    );
    return { version, view: this.repo.view(viewId) };
  }
}
