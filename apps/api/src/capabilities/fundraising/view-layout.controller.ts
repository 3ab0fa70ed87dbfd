import { Body, Controller, Inject, Param, Put } from '@nestjs/common';
import { decideSaveView, requireVisibleView } from '@crm/domain';
import { Core, CORE } from '../../core';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { SaveViewDto } from './dto/schema.dto';
import { Roles } from '../auth/index';

/** Saves an existing view in place (the grid keeps column order and widths in its table's default view). */
@Controller('fundraising')
@Roles('member', 'admin')
export class ViewLayoutController {
  constructor(@Inject(CORE) private readonly core: Core) {}

  @Put('views/:id')
  async saveView(
    @Param('id') viewId: string,
    @Body() body: SaveViewDto,
    @CurrentActor() actor: Actor,
  ) {
    requireVisibleView(this.core.repo.view(viewId), viewId, actor);
    const { version } = await this.core.uow.write(() =>
      this.core.commands.execute({ actor, source: 'grid' }, (ctx) =>
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
      ),
    );
    return { version, view: this.core.repo.view(viewId) };
  }
}
