import { Controller, Get, Inject } from '@nestjs/common';
import type { Statement } from 'better-sqlite3';
import { Core, CORE } from '../../core';
import { Roles } from '../auth/access.decorators';

/**
 * Names of the people (and the system) who wrote to the log, so that "last modified by" and conflict
 * notices show a name rather than an id to every member, not only to admins.
 */
@Controller('fundraising')
@Roles('member', 'admin')
export class ActorsController {
  private readonly names: Statement;

  constructor(@Inject(CORE) private readonly core: Core) {
    // The bare columns come from the row holding MAX(position): the latest name an actor used.
    this.names = core.db.prepare(`SELECT json_extract(metadata, '$.actor_id') AS id, json_extract(metadata, '$.actor_name') AS name, MAX(position) AS last
      FROM events GROUP BY json_extract(metadata, '$.actor_id')`);
  }

  @Get('actors')
  actors() {
    const rows = this.core.uow.read(() => this.names.all() as { id: string; name: string | null }[]);
    return { actors: rows.filter((r) => typeof r.id === 'string').map((r) => ({ id: r.id, name: r.name ?? r.id })) };
  }
}
