import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import type {
  Membership,
  MembershipList,
  MembershipListsAnswer,
  MembershipMoveResult,
} from '@crm/contracts';
import { AUTOMATIC_LIST, invalid, TABLE_ROLES } from '@crm/domain';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { FundraisingRepository } from '../fundraising/index';
import { AutomationCommands } from './automation.commands';
import { AddListDto, MembershipMoveDto } from './dto/automations.dto';
import { limitOf } from './query-params';

/** Which lists each record is in; people move records by hand, rules through their runs. */
@Controller('fundraising')
@Roles('member', 'admin')
export class MembershipsController {
  constructor(
    private readonly commands: AutomationCommands,
    private readonly base: FundraisingRepository,
  ) {}

  @Get('memberships')
  list(
    @Query('list') list?: string,
    @Query('record_id') recordId?: string,
    @Query('limit') limit?: string,
  ): MembershipList {
    if (list !== undefined && !this.commands.repo.isList(list))
      throw invalid(
        `list: unknown list ${JSON.stringify(list)}`,
        { field: 'list' },
        'unknown_list',
      );
    const n = limitOf(limit, 10_000, 100_000);
    const stored =
      list === AUTOMATIC_LIST
        ? []
        : this.commands.repo.memberships({ list, record_id: recordId }, n);
    const all = list === undefined || list === AUTOMATIC_LIST ? this.everyLive(recordId, n) : [];
    return { memberships: [...stored, ...all].slice(0, n) };
  }

  @Post('memberships')
  @HttpCode(200)
  move(
    @Body() body: MembershipMoveDto,
    @CurrentActor() actor: Actor,
  ): Promise<MembershipMoveResult> {
    return this.commands.move(body, { actor, source: 'api' });
  }

  @Get('lists')
  lists(): MembershipListsAnswer {
    return { lists: this.commands.repo.lists() };
  }

  /** A list the fund adds (admins): its key comes from its name. */
  @Post('lists')
  @Roles('admin')
  async addList(
    @Body() body: AddListDto,
    @CurrentActor() actor: Actor,
  ): Promise<MembershipListsAnswer['lists'][number]> {
    const list = await this.commands.addList(body.name, { actor, source: 'api' });
    return this.commands.repo.lists().find((l) => l.list === list)!;
  }

  /** `all`: every live investor, kept by the system. */
  private everyLive(recordId: string | undefined, limit: number): Membership[] {
    const investors = this.base.tables().find((t) => t.role === TABLE_ROLES.investors);
    if (!investors) return [];
    const out: Membership[] = [];
    for (const r of this.base.recordsOf(investors.id)) {
      if (r.archived || (recordId !== undefined && r.id !== recordId)) continue;
      out.push({
        record_id: r.id,
        list: AUTOMATIC_LIST,
        since: r.created_at,
        source: 'system',
        rule_id: null,
        run_id: null,
      });
      if (out.length >= limit) break;
    }
    return out;
  }
}
