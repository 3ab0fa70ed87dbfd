import { Controller, Get } from '@nestjs/common';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { Roles } from '../auth/index';
import { UsersRepository } from '../users';
import type { ActorsList, PeopleList } from '@crm/contracts';

/**
 * Names of the people (and the system) who wrote to the log, so that "last modified by" and conflict
 * notices show a name rather than an id to every member, not only to admins.
 */
@Controller('fundraising')
@Roles('member', 'admin')
export class ActorsController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
  ) {}

  @Get('actors')
  actors(): ActorsList {
    const rows = this.uow.read(() => this.users.actorNames());
    return {
      actors: rows
        .filter((r) => typeof r.id === 'string')
        .map((r) => ({ id: r.id, name: r.name ?? r.id })),
    };
  }

  /** The team for people fields: the picker lists the active ones, cells show the disabled greyed. */
  @Get('people')
  people(): PeopleList {
    const users = this.uow.read(() => this.users.users());
    return {
      people: users.map((u) => ({ id: u.id, name: u.name, email: u.email, disabled: u.disabled })),
    };
  }
}
