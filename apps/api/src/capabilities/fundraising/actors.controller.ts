import { Controller, Get, Inject } from '@nestjs/common';
import type { ActorsList } from '@crm/contracts';
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
    // Every person who can write is a user; the system is the only other actor. Reading the users
    // table instead of grouping the whole log keeps this fast at a million events.
    this.names = core.db.prepare(`SELECT id, name FROM users UNION ALL SELECT 'system', 'System'`);
  }

  @Get('actors')
  actors(): ActorsList {
    const rows = this.core.uow.read(
      () => this.names.all() as { id: string; name: string | null }[],
    );
    return {
      actors: rows
        .filter((r) => typeof r.id === 'string')
        .map((r) => ({ id: r.id, name: r.name ?? r.id })),
    };
  }
}
