import { Allow, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * A rule as a client sends it. Only the presence of its parts is checked here: whether a trigger,
 * a condition or an action fits the table is the domain's call, a 400 naming the part and a reason.
 */
export class RuleDto {
  @Allow()
  name?: unknown;

  @Allow()
  trigger?: unknown;

  @Allow()
  conditions?: unknown;

  @Allow()
  actions?: unknown;

  @Allow()
  enabled?: unknown;
}

export class ToggleRuleDto {
  @Allow()
  enabled?: unknown;
}

export class MembershipMoveDto {
  @IsString()
  @MaxLength(64)
  record_id!: string;

  @IsString()
  @MaxLength(200)
  list!: string;

  @IsIn(['add', 'remove', 'move'])
  op!: 'add' | 'remove' | 'move';
}

/** `{ rule }` (a rule not saved yet, checked as a new one would be) or `{ rule_id }`. */
export class DryRunDto {
  @Allow()
  rule?: unknown;

  @Allow()
  rule_id?: unknown;
}

/** A dry run's rule, and since when to replay the history. */
export class BacktestDto extends DryRunDto {
  @Allow()
  from?: unknown;
}

export class RollbackPreviewDto {
  @IsOptional()
  @IsBoolean()
  overwrite_later_edits?: boolean;
}

export class RollbackDto {
  @IsString()
  @MaxLength(2000)
  token!: string;
}

export class AddListDto {
  @Allow()
  name?: unknown;
}
