import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type {
  AutomationRule,
  AutomationRuleList,
  AutomationRunList,
  RunRollbackPreview,
  RunRollbackResult,
} from '@crm/contracts';
import { type BacktestResult, type DryRunResult, notFound } from '@crm/domain';
import { Actor, CurrentActor } from '../../infrastructure/request-context/actor';
import { Roles } from '../auth/index';
import { AutomationCommands } from './automation.commands';
import { AutomationPreview } from './automation-preview';
import { ScheduleSync } from './schedule-sync';
import { AutomationRollback } from './automation-rollback';
import {
  BacktestDto,
  DryRunDto,
  RollbackDto,
  RollbackPreviewDto,
  RuleDto,
  ToggleRuleDto,
} from './dto/automations.dto';
import { limitOf, positionOf, statusOf } from './query-params';

/**
 * Automation rules: admins create, change, toggle and archive them; members read them and their
 * runs. Every change is an event on the rule's stream; every change of its definition a new version.
 */
@Controller()
@Roles('admin')
export class AutomationsController {
  constructor(
    private readonly commands: AutomationCommands,
    private readonly preview: AutomationPreview,
    private readonly schedules: ScheduleSync,
    private readonly rollbacks: AutomationRollback,
  ) {}

  /** What rolling back the run would change, and later edits by people (kept unless overwritten). */
  /** What a rule would have done since `from` over the real history (members may ask too). */
  @Post('automations/backtest')
  @HttpCode(200)
  @Roles('member', 'admin')
  backtest(@Body() body: BacktestDto): Promise<BacktestResult> {
    return this.preview.backtest(this.preview.ruleOf(body), body.from);
  }

  @Post('automation-runs/:id/rollback-preview')
  @HttpCode(200)
  rollbackPreview(@Param('id') id: string, @Body() body: RollbackPreviewDto): RunRollbackPreview {
    return this.rollbacks.preview(id, body.overwrite_later_edits === true);
  }

  @Post('automation-runs/:id/rollback')
  @HttpCode(200)
  rollback(
    @Param('id') id: string,
    @Body() body: RollbackDto,
    @CurrentActor() actor: Actor,
  ): Promise<RunRollbackResult> {
    return this.rollbacks.rollback(id, body.token, actor);
  }

  /** What a rule would change right now, writing nothing (members may ask too). */
  @Post('automations/dry-run')
  @HttpCode(200)
  @Roles('member', 'admin')
  dryRun(@Body() body: DryRunDto): DryRunResult {
    return this.preview.dryRun(this.preview.ruleOf(body));
  }

  @Get('automations')
  @Roles('member', 'admin')
  list(): AutomationRuleList {
    return { rules: this.commands.repo.rules() };
  }

  @Post('automations')
  async create(@Body() body: RuleDto, @CurrentActor() actor: Actor): Promise<AutomationRule> {
    const id = await this.commands.create(body as Record<string, unknown>, {
      actor,
      source: 'api',
    });
    this.schedules.sync();
    return this.one(id);
  }

  @Patch('automations/:id')
  async change(
    @Param('id') id: string,
    @Body() body: RuleDto,
    @CurrentActor() actor: Actor,
  ): Promise<AutomationRule> {
    await this.commands.change(id, body as Record<string, unknown>, { actor, source: 'api' });
    this.schedules.sync();
    return this.one(id);
  }

  @Post('automations/:id/toggle')
  @HttpCode(200)
  async toggle(
    @Param('id') id: string,
    @Body() body: ToggleRuleDto,
    @CurrentActor() actor: Actor,
  ): Promise<AutomationRule> {
    await this.commands.toggle(id, body.enabled, { actor, source: 'api' });
    return this.one(id);
  }

  @Delete('automations/:id')
  async archive(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<{ id: string }> {
    await this.commands.archive(id, { actor, source: 'api' });
    return { id };
  }

  @Get('automations/:id/runs')
  @Roles('member', 'admin')
  runsOf(
    @Param('id') id: string,
    @Query('status') status?: string,
    @Query('before') before?: string,
    @Query('limit') limit?: string,
  ): AutomationRunList {
    if (!this.commands.repo.rule(id)) throw notFound(`no automation rule ${id}`, { field: 'id' });
    return { runs: this.runs(id, status, before, limit) };
  }

  @Get('automation-runs')
  @Roles('member', 'admin')
  allRuns(
    @Query('status') status?: string,
    @Query('before') before?: string,
    @Query('limit') limit?: string,
  ): AutomationRunList {
    return { runs: this.runs(undefined, status, before, limit) };
  }

  private runs(ruleId: string | undefined, status?: string, before?: string, limit?: string) {
    return this.commands.repo.runs({
      rule_id: ruleId,
      status: statusOf(status),
      before: positionOf(before, 'before'),
      limit: limitOf(limit, 50, 500),
    });
  }

  private one(id: string): AutomationRule {
    const rule = this.commands.repo.rules().find((r) => r.id === id);
    if (!rule) throw notFound(`no automation rule ${id}`, { field: 'id' });
    return rule;
  }
}
